#!/usr/bin/env python3
"""Make a troff man page from a program's header comment.

    contrib/manpage.py Sources/notifyd/Notifyd.swift 8 > notifyd.8

Every program's main file starts with its manual as `//` lines: NAME, SYNOPSIS,
DESCRIPTION, EXIT STATUS, ENVIRONMENT, FILES, SEE ALSO (headings flush left, text indented
four spaces). Paragraphs are separated by blank comment lines; lines starting with "- "
are list items; SYNOPSIS is kept as written.
"""
import datetime
import re
import sys

REQUIRED = ["NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "FILES", "SEE ALSO"]


def header(path):
    lines = []
    with open(path, encoding="utf-8") as source:
        for line in source:
            if not line.startswith("//"):
                break
            lines.append(line[2:].rstrip("\n")[1:] if line[2:3] == " " else line[2:].rstrip("\n"))
    return lines


def sections(lines):
    result, current = [], None
    for line in lines:
        if re.fullmatch(r"[A-Z][A-Z ]+", line):
            current = (line, [])
            result.append(current)
        elif current is not None:
            current[1].append(line[4:] if line.startswith("    ") else line.strip())
    return result


def escape(text):
    text = text.replace("\\", "\\e").replace("-", "\\-")
    # troff reads ASCII; other characters become named Unicode escapes (→ is \[u2192]).
    text = "".join(c if ord(c) < 128 else f"\\[u{ord(c):04X}]" for c in text)
    return ("\\&" + text) if text[:1] in (".", "'") else text


def render(path, section):
    parts = sections(header(path))
    names = [name for name, _ in parts]
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        sys.exit(f"manpage: {path}: missing sections: {', '.join(missing)}")
    program = dict(parts)["NAME"][0].split(" - ")[0].strip()
    out = [f'.TH {program.upper()} {section} "{datetime.date.today():%Y-%m-%d}" "notifyd" "notifyd manual"']
    for name, body in parts:
        out.append(f".SH {name}")
        if name == "NAME":
            title, _, summary = " ".join(body).partition(" - ")
            out.append(f"{escape(title.strip())} \\- {escape(summary.strip())}")
            continue
        if name == "SYNOPSIS":
            out.append(".nf")
            out.extend(escape(line) for line in body if line)
            out.append(".fi")
            continue
        paragraph_open = False
        for line in body:
            if not line:
                paragraph_open = False
                continue
            if line.startswith("- "):
                out.append(".IP \\(bu 2")
                out.append(escape(line[2:]))
                paragraph_open = True
            elif line.startswith("  ") and paragraph_open:
                out.append(escape(line.strip()))
            else:
                if not paragraph_open:
                    out.append(".PP")
                    paragraph_open = True
                out.append(escape(line.strip()))
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: manpage.py MAIN.swift SECTION")
    sys.stdout.write(render(sys.argv[1], sys.argv[2]))
