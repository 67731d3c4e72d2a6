/* bench/lib/curl-multi-ceiling.c - the raw ceiling of N JSON POSTs driven by libcurl's
 * multi interface from one thread, K transfers in flight, connections reused: what
 * notify-webhook's engine could reach if notifyd, the spool and Swift cost nothing.
 *
 *   curl-multi-ceiling URL N K
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static const char body[] = "{\"id\":\"01M7ZEC7A41ZWQR9G8AG2P1694\",\"body\":\"bench\",\"meta\":{}}";
static size_t discard(char *p, size_t s, size_t n, void *u) { (void)p; (void)u; return s * n; }

static CURL *make(const char *url, struct curl_slist *headers) {
    CURL *h = curl_easy_init();
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)(sizeof body - 1));
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 30000L);
    return h;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s URL N K\n", argv[0]); return 64; }
    const char *url = argv[1];
    long total = atol(argv[2]), window = atol(argv[3]), started = 0, done = 0, failed = 0;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Expect:");
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAX_HOST_CONNECTIONS, window);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (started < window && started < total) { curl_multi_add_handle(multi, make(url, headers)); started++; }
    while (done < total) {
        int running;
        curl_multi_perform(multi, &running);
        CURLMsg *m; int left;
        while ((m = curl_multi_info_read(multi, &left))) {
            if (m->msg != CURLMSG_DONE) continue;
            long status = 0;
            curl_easy_getinfo(m->easy_handle, CURLINFO_RESPONSE_CODE, &status);
            if (m->data.result != CURLE_OK || status != 200) failed++;
            curl_multi_remove_handle(multi, m->easy_handle);
            done++;
            if (started < total) {  /* reuse the handle: same as a fresh one, minus malloc */
                curl_multi_add_handle(multi, m->easy_handle);
                started++;
            } else {
                curl_easy_cleanup(m->easy_handle);
            }
        }
        if (done < total) curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("raw ceiling: %ld POSTs (%ld in flight) in %.3f s: %.0f POSTs/s, %ld failed\n", total, window, seconds, total / seconds, failed);
    return failed ? 1 : 0;
}
