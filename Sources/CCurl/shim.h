#ifndef NOTIFYD_CCURL_SHIM_H
#define NOTIFYD_CCURL_SHIM_H
#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic: Swift cannot call them.
 * One typed wrapper per argument type; the parentheses skip curl's type-check macro. */
static inline CURLcode notifyd_curl_setopt_long(CURL *h, CURLoption o, long v) { return (curl_easy_setopt)(h, o, v); }
static inline CURLcode notifyd_curl_setopt_ptr(CURL *h, CURLoption o, const void *v) { return (curl_easy_setopt)(h, o, v); }
static inline CURLcode notifyd_curl_setopt_str(CURL *h, CURLoption o, const char *v) { return (curl_easy_setopt)(h, o, v); }
static inline CURLcode notifyd_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return (curl_easy_setopt)(h, o, v); }
static inline CURLcode notifyd_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return (curl_easy_setopt)(h, o, v); }
static inline CURLcode notifyd_curl_setopt_write(CURL *h, size_t (*f)(char *, size_t, size_t, void *)) { return (curl_easy_setopt)(h, CURLOPT_WRITEFUNCTION, f); }
static inline CURLcode notifyd_curl_setopt_header(CURL *h, size_t (*f)(char *, size_t, size_t, void *)) { return (curl_easy_setopt)(h, CURLOPT_HEADERFUNCTION, f); }
static inline CURLcode notifyd_curl_setopt_read(CURL *h, size_t (*f)(char *, size_t, size_t, void *)) { return (curl_easy_setopt)(h, CURLOPT_READFUNCTION, f); }
static inline CURLcode notifyd_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return (curl_easy_getinfo)(h, i, v); }
static inline CURLcode notifyd_curl_getinfo_double(CURL *h, CURLINFO i, double *v) { return (curl_easy_getinfo)(h, i, v); }
static inline CURLcode notifyd_curl_getinfo_ptr(CURL *h, CURLINFO i, void **v) { return (curl_easy_getinfo)(h, i, v); }
static inline CURLcode notifyd_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return (curl_easy_getinfo)(h, i, v); }
static inline CURLMcode notifyd_curl_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return (curl_multi_setopt)(m, o, v); }
#endif
