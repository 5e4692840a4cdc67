// kiln/io/progress.hpp — a training progress display for fit()'s callback, and its history as CSV.
//
// Host only. kiln::io::progress is passed to kiln::fit as the callback (by reference, so it
// keeps what it saw):
//
//     kiln::io::progress shown{std::cerr, {.epochs = 30, .rows = train.size(),
//                                          .held_out = kiln::io::accuracy_on(net, test)}};
//     kiln::fit(net, train, loss, optimizer, {.epochs = 30}, shown);
//     kiln::io::write_history("history.csv", shown.history());
//
// and shows "epoch 12/30  loss 0.2451  accuracy 0.9701  held-out 0.9638  52113 samples/s
// ETA 1.3 s". On a terminal it is one line redrawn in place ("\r", then clear to the end of the
// line); into a file or a pipe it is plain lines, so logs stay readable. Either way it shows
// at most one update per options.interval seconds of a steady clock (the first and the last
// epoch always), so a fast training is not slowed down by its own display; every epoch is
// recorded in the history regardless.
#pragma once

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <limits>
#include <ostream>
#include <span>
#include <string>
#include <utility>
#include <vector>

#if defined(_WIN32)
#include <io.h>
#else
#include <unistd.h>
#endif

#include <kiln/dataset.hpp>
#include <kiln/io/bake.hpp>
#include <kiln/io/error.hpp>
#include <kiln/metrics.hpp>
#include <kiln/train.hpp>

namespace kiln::io {

/// One epoch as the history keeps it. held_out is NaN when no held-out figure was given.
struct epoch_record {
    std::size_t epoch = 0;
    double loss = 0;
    double accuracy = 0;
    double held_out = std::numeric_limits<double>::quiet_NaN();
    double seconds = 0;  ///< since the display started, at the end of this epoch

    friend bool operator==(const epoch_record&, const epoch_record&) = default;
};

/// How progress draws.
enum class progress_display {
    automatic,  ///< redraw when the stream is std::cerr, std::clog or std::cout and that is a terminal; lines otherwise
    redraw,     ///< one line, redrawn in place
    lines,      ///< a new line per update
    none,       ///< nothing shown; only the history is kept
};

/// Options of kiln::io::progress, as designated initialisers.
struct progress_options {
    std::size_t epochs = 0;  ///< the epochs fit() will run (0: unknown, so no "/N" and no ETA)
    std::size_t rows = 0;    ///< training rows per epoch, for samples/s (0: not shown)
    /// Computes the held-out figure after each epoch (see accuracy_on); empty: none.
    std::function<double()> held_out = {};
    progress_display display = progress_display::automatic;
    double interval = 0.25;  ///< least seconds between two updates shown (the first and last epoch always are)
    /// Seconds on a steady clock; empty: std::chrono::steady_clock. Tests inject their own.
    std::function<double()> clock = {};
};

/// A function giving `net`'s accuracy on `data` as they are when it is called: the held-out
/// figure for progress_options. Both are kept by reference and must outlive it.
template <class Net, class Data>
std::function<double()> accuracy_on(const Net& net, const Data& data) {
    return [&net, &data] { return kiln::accuracy(net, data); };
}

namespace detail {

inline double steady_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// Whether `os` is the standard error or output stream and that is a terminal.
inline bool is_terminal(const std::ostream& os) {
#if defined(_WIN32)
    const auto tty = [](int fd) { return _isatty(fd) != 0; };
#else
    const auto tty = [](int fd) { return isatty(fd) != 0; };
#endif
    if (&os == &std::cerr || &os == &std::clog) return tty(2);
    if (&os == &std::cout) return tty(1);
    return false;
}

/// A duration for people: "0.4 s", "12 s", "3:05", "1:02:03".
inline std::string duration_text(double s) {
    char buf[32];
    if (!(s >= 0) || s > 1e7) return "?";
    if (s < 10) std::snprintf(buf, sizeof buf, "%.1f s", s);
    else if (s < 60) std::snprintf(buf, sizeof buf, "%.0f s", s);
    else {
        const auto t = static_cast<unsigned long>(s + 0.5);
        if (t < 3600) std::snprintf(buf, sizeof buf, "%lu:%02lu", t / 60, t % 60);
        else std::snprintf(buf, sizeof buf, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
    }
    return buf;
}

/// The shortest text that reads back as v; a value that came from a float is written as that float.
inline std::string number_text(double v) {
    char buf[40];
    const float f = static_cast<float>(v);
    const auto r = static_cast<double>(f) == v ? std::to_chars(buf, buf + sizeof buf, f) : std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

} // namespace detail

/// The history as CSV text: a header "epoch,loss,accuracy,held_out_accuracy,seconds" (the
/// held-out column only when some epoch has it), then one line per epoch.
inline std::string format_history(std::span<const epoch_record> history) {
    bool held_out = false;
    for (const auto& r : history) held_out = held_out || !std::isnan(r.held_out);
    std::string s = held_out ? "epoch,loss,accuracy,held_out_accuracy,seconds\n" : "epoch,loss,accuracy,seconds\n";
    for (const auto& r : history) {
        s += std::to_string(r.epoch);
        s += ',';
        s += detail::number_text(r.loss);
        s += ',';
        s += detail::number_text(r.accuracy);
        if (held_out) {
            s += ',';
            if (!std::isnan(r.held_out)) s += detail::number_text(r.held_out);
        }
        s += ',';
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.3f", r.seconds);
        s += buf;
        s += '\n';
    }
    return s;
}

/// format_history into the file at path (replaced whole, or left as it was on error).
inline result<void> write_history(const std::filesystem::path& path, std::span<const epoch_record> history) {
    return write_text_file(path, format_history(history));
}

/// The display: pass it to kiln::fit as the callback (see the top of this header).
/// Start it right before fit(): samples/s and the ETA count from its construction.
class progress {
public:
    progress(std::ostream& os, progress_options options = {})
        : os_(&os), options_(std::move(options)) {
        if (!options_.clock) options_.clock = detail::steady_seconds;
        if (options_.display == progress_display::automatic)
            options_.display = detail::is_terminal(os) ? progress_display::redraw : progress_display::lines;
        start_ = options_.clock();
    }

    /// fit()'s callback: records the epoch, and shows it unless one was shown less than
    /// options.interval seconds ago (the first and the last epoch are always shown).
    template <class Net>
    void operator()(const kiln::epoch_report<Net>& report) {
        record(report.epoch, double(report.loss), double(report.accuracy));
    }

    /// The same without fit(): for a training loop of one's own.
    void record(std::size_t epoch, double loss, double accuracy) {
        epoch_record r{epoch, loss, accuracy};
        if (options_.held_out) r.held_out = options_.held_out();
        const double now = options_.clock();
        r.seconds = now - start_;
        history_.push_back(r);
        const bool last = options_.epochs != 0 && epoch >= options_.epochs;
        if (last || history_.size() == 1 || now - last_shown_ >= options_.interval) {
            show(r, last);
            last_shown_ = now;
        } else {
            pending_ = true;
        }
    }

    /// Shows the last epoch if it was not (training stopped early) and ends a redrawn line.
    /// Not needed when fit() ran all options.epochs epochs.
    void finish() {
        if (history_.empty()) return;
        if (pending_) show(history_.back(), true);
        else if (open_line_) *os_ << '\n' << std::flush;
        open_line_ = false;
    }

    /// Every epoch recorded, in order.
    const std::vector<epoch_record>& history() const noexcept { return history_; }

private:
    /// The text shown for an epoch (without "\r" or newline).
    std::string line(const epoch_record& r, bool last) const {
        // Appends only: GCC 12 warns wrongly (-Wrestrict, its bug 105329) on "text" + std::string.
        std::string s = "epoch ";
        s += std::to_string(r.epoch);
        if (options_.epochs != 0) {
            s += '/';
            s += std::to_string(options_.epochs);
        }
        char buf[96];
        std::snprintf(buf, sizeof buf, "  loss %.4f  accuracy %.4f", r.loss, r.accuracy);
        s += buf;
        if (!std::isnan(r.held_out)) {
            std::snprintf(buf, sizeof buf, "  held-out %.4f", r.held_out);
            s += buf;
        }
        if (options_.rows != 0 && r.seconds > 0) {
            std::snprintf(buf, sizeof buf, "  %.0f samples/s", double(options_.rows) * double(r.epoch) / r.seconds);
            s += buf;
        }
        if (last) {
            s += "  in ";
            s += detail::duration_text(r.seconds);
        } else if (options_.epochs != 0 && r.epoch < options_.epochs) {
            s += "  ETA ";
            s += detail::duration_text(r.seconds / double(r.epoch) * double(options_.epochs - r.epoch));
        }
        return s;
    }

    void show(const epoch_record& r, bool last) {
        pending_ = false;
        switch (options_.display) {
        case progress_display::redraw:
            *os_ << '\r' << line(r, last) << "\x1b[K";
            open_line_ = !last;
            if (last) *os_ << '\n';
            break;
        case progress_display::lines: *os_ << line(r, last) << '\n'; break;
        default: break;
        }
        *os_ << std::flush;
    }

    std::ostream* os_;
    progress_options options_;
    std::vector<epoch_record> history_;
    double start_ = 0;
    double last_shown_ = -std::numeric_limits<double>::infinity();
    bool pending_ = false;    // an epoch recorded but not shown
    bool open_line_ = false;  // a redrawn line is on screen without its newline
};

} // namespace kiln::io
