#!/usr/bin/python3
"""The reference of bench/bench_pdf.cpp: WeasyPrint kept loaded in one Python process, rendering the
same HTML with the same attachments as caseflow's workers, PDF/A-3b, the way the worker calls it.

Usage: bench_pdf_weasyprint.py HTML_FILE ATTACHMENT_DIR COUNT
Prints one JSON line: {"weasyprint": VERSION, "documents": COUNT, "seconds": TOTAL, "bytes": LAST_PDF_SIZE}.
What must stay true: WeasyPrint is loaded and one document rendered before timing starts, like a warm worker.
"""

import json
import os
import sys
import time

import weasyprint


def main():
    html_file, attachment_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    html = open(html_file, encoding='utf-8').read()
    attachments = sorted(os.path.join(attachment_dir, name) for name in os.listdir(attachment_dir))

    def render():
        document = weasyprint.HTML(string=html, base_url=attachment_dir + '/')
        return document.write_pdf(attachments=attachments, variant='pdf/a-3b', optimize_size=('fonts',))

    pdf = render()
    started = time.perf_counter()
    for _ in range(count):
        pdf = render()
    seconds = time.perf_counter() - started
    print(json.dumps({"weasyprint": weasyprint.__version__, "documents": count, "seconds": seconds,
                      "bytes": len(pdf)}))


if __name__ == '__main__':
    sys.exit(main())
