// A small pool of long-lived WeasyPrint processes (scripts/weasyprint-worker.py), fed one document at
// a time over a socket with length-prefixed frames, instead of starting `weasyprint` (and loading
// Python, Pango and fontconfig again) for every PDF. What must stay true: the PDF is byte for byte what
// the `weasyprint` command wrote (same variant, attachments, base URL: an empty private directory);
// a worker that dies is replaced and the document it was given is tried once more on a fresh one; a
// document that passes the deadline gets its worker killed (SIGKILL) and a clear error naming the
// deadline, and the next document renders on a new worker; WeasyPrint missing is MissingTool; any
// number of threads may call render() at once (each document has a worker to itself while it runs).
#pragma once

#include "render/PdfWriter.h"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace caseflow::render {

struct PdfWorkerOptions {
    std::size_t size = 1;                              // workers at most (started on first use)
    std::chrono::milliseconds deadline{120'000};       // per document, from sending it to its PDF
    std::chrono::milliseconds startupDeadline{60'000}; // loading WeasyPrint, once per worker
};

class PdfWorker; // one process, defined in PdfWorker.cpp

class PdfWorkerPool {
public:
    explicit PdfWorkerPool(PdfWorkerOptions options);
    ~PdfWorkerPool();
    PdfWorkerPool(const PdfWorkerPool&) = delete;
    PdfWorkerPool& operator=(const PdfWorkerPool&) = delete;

    // Self-contained HTML (inline CSS, nothing fetched) to PDF/A-3b bytes; waits for a free worker.
    // `deadline` overrides the pool's for this document (a caller that knows it is small).
    std::string render(const std::string& html, const std::vector<PdfAttachment>& attachments,
                       std::optional<std::chrono::milliseconds> deadline = std::nullopt);

    // The process ids of the workers running now (for the tests that kill one).
    std::vector<pid_t> processIds() const;
    const PdfWorkerOptions& options() const { return options_; }

    // The process-wide pool htmlToPdf() uses: sized by configureSharedPdfWorkers, else
    // $CASEFLOW_PDF_WORKERS, else 1 (the CLI); deadline from $CASEFLOW_PDF_DEADLINE_SECONDS.
    static PdfWorkerPool& shared();

private:
    std::unique_ptr<PdfWorker> acquire();
    void giveBack(std::unique_ptr<PdfWorker> worker);

    PdfWorkerOptions options_;
    mutable std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<PdfWorker>> idle_;
    std::vector<PdfWorker*> all_; // idle or lent, for processIds()
    std::size_t started_ = 0;     // workers that exist, idle or lent
};

// How many WeasyPrint workers the shared pool keeps: call before the first PDF (the server asks
// for min(2, cores), a batch render for its number of jobs). Later calls change nothing.
void configureSharedPdfWorkers(std::size_t size);

} // namespace caseflow::render
