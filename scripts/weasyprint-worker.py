#!/usr/bin/python3
"""A long-lived WeasyPrint process for caseflow (engine/render/PdfWorker.h starts and feeds it).

Loading WeasyPrint (Python, its CSS engine, fontconfig, Pango) costs more than rendering one care plan,
so caseflow keeps this process running and sends it documents over one socket, given as the file
descriptor in argv[1]. Every frame is a 4-byte big-endian length followed by that many bytes.

  worker -> caseflow, once loaded:  b'R' + frame(WeasyPrint's version)
                     or, if not:    b'E' + frame(why WeasyPrint cannot be loaded), then it exits
  caseflow -> worker, per document: 4-byte attachment count N, frame(HTML, UTF-8),
                                    then N times frame(file name) + frame(content)
  worker -> caseflow, per document: b'P' + frame(PDF bytes)  or  b'E' + frame(error message)

What must stay true: the PDF is what `weasyprint --quiet --pdf-variant pdf/a-3b --base-url DIR/
--attachment FILE... document.html out.pdf` writes (the command PdfWriter ran before this worker);
the base URL is an empty private directory holding only the attachments, so a document can make
WeasyPrint read nothing else; nothing but protocol frames is ever written to the socket (stdout is
sent to stderr, in case a library prints); the worker exits when caseflow closes the socket.
"""

import os
import shutil
import struct
import sys
import tempfile
import traceback


def read_exact(fd, size):
    """Exactly `size` bytes, or None at end of input (caseflow closed the socket)."""
    chunks = []
    while size > 0:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b''.join(chunks)


def read_frame(fd):
    header = read_exact(fd, 4)
    if header is None:
        return None
    (length,) = struct.unpack('>I', header)
    return read_exact(fd, length) if length else b''


def send(fd, kind, payload):
    data = kind + struct.pack('>I', len(payload)) + payload
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def safe_file_name(name):
    """The name shown in the PDF's attachment list, reduced to a plain file name in our directory."""
    safe = ''.join(ch if ch.isascii() and (ch.isalnum() or ch in '-_.') else '_' for ch in name)
    if not safe or safe.startswith('.'):
        safe = 'attachment' + safe
    return safe


def render(weasyprint, html, attachments):
    scratch = tempfile.mkdtemp(prefix='caseflow-pdf-')
    try:
        files = []
        for name, content in attachments:
            path = os.path.join(scratch, safe_file_name(name))
            with open(path, 'wb') as out:
                out.write(content)
            files.append(path)
        document = weasyprint.HTML(string=html.decode('utf-8'), base_url=scratch + '/')
        return document.write_pdf(attachments=files, variant='pdf/a-3b', optimize_size=('fonts',))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    if len(sys.argv) != 2:
        sys.stderr.write('usage: weasyprint-worker.py FD (started by caseflow)\n')
        return 2
    fd = int(sys.argv[1])
    os.dup2(2, 1)  # whatever prints goes to stderr, never into the protocol
    try:
        import weasyprint
    except Exception as error:  # not installed, or a broken install: caseflow says how to fix it
        send(fd, b'E', f'cannot load WeasyPrint: {error}'.encode('utf-8', 'replace'))
        return 3
    send(fd, b'R', weasyprint.__version__.encode())
    while True:
        header = read_exact(fd, 4)
        if header is None:
            return 0
        (count,) = struct.unpack('>I', header)
        html = read_frame(fd)
        attachments = []
        for _ in range(count):
            name, content = read_frame(fd), read_frame(fd)
            if name is None or content is None:
                return 0
            attachments.append((name.decode('utf-8', 'replace'), content))
        if html is None:
            return 0
        try:
            pdf = render(weasyprint, html, attachments)
        except Exception as error:
            lines = traceback.format_exception_only(type(error), error)
            send(fd, b'E', ''.join(lines).strip().encode('utf-8', 'replace'))
            continue
        send(fd, b'P', pdf)


if __name__ == '__main__':
    sys.exit(main())
