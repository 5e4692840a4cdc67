// Tests for kiln/io/progress.hpp: the text of each update, plain lines and the redrawn line,
// the rate limit (with an injected clock: no timing here), finish() after an early stop, the
// held-out figure, use as fit()'s callback, and the history as CSV text and file.
#include "kiln_test.hpp"

#include <kiln/io/progress.hpp>
#include <kiln/kiln.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

/// A clock the test moves by hand.
struct fake_clock {
    double now = 0;
    std::function<double()> function() {
        return [this] { return now; };
    }
};

std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> r;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);) r.push_back(line);
    return r;
}

} // namespace

TEST_CASE("plain lines give epoch, loss, accuracy, samples/s and ETA, then the time taken") {
    fake_clock clock;
    std::ostringstream out;
    kiln::io::progress p{out, {.epochs = 3, .rows = 100, .display = kiln::io::progress_display::lines,
                               .clock = clock.function()}};
    for (std::size_t e = 1; e <= 3; ++e) {
        clock.now += 2;
        p.record(e, 1.0 / double(e), 0.25 * double(e));
    }
    const auto lines = lines_of(out.str());
    REQUIRE(lines.size() == 3);
    CHECK(lines[0] == "epoch 1/3  loss 1.0000  accuracy 0.2500  50 samples/s  ETA 4.0 s");
    CHECK(lines[1] == "epoch 2/3  loss 0.5000  accuracy 0.5000  50 samples/s  ETA 2.0 s");
    CHECK(lines[2] == "epoch 3/3  loss 0.3333  accuracy 0.7500  50 samples/s  in 6.0 s");
    CHECK(out.str().back() == '\n');
}

TEST_CASE("without a total or a row count the line leaves out what it cannot know") {
    fake_clock clock;
    std::ostringstream out;
    kiln::io::progress p{out, {.display = kiln::io::progress_display::lines, .clock = clock.function()}};
    clock.now = 1;
    p.record(1, 0.5, 0.5);
    CHECK(out.str() == "epoch 1  loss 0.5000  accuracy 0.5000\n");
}

TEST_CASE("updates are rate-limited by the clock but the first and last epoch are always shown") {
    fake_clock clock;
    std::ostringstream out;
    kiln::io::progress p{out, {.epochs = 10, .display = kiln::io::progress_display::lines, .interval = 0.25,
                               .clock = clock.function()}};
    for (std::size_t e = 1; e <= 10; ++e) {
        clock.now += 0.125;
        p.record(e, 1, 1);
    }
    std::vector<std::string> shown;
    for (const auto& line : lines_of(out.str())) shown.push_back(line.substr(0, line.find(' ', 6)));
    CHECK(shown == std::vector<std::string>{"epoch 1/10", "epoch 3/10", "epoch 5/10", "epoch 7/10", "epoch 9/10",
                                            "epoch 10/10"});
    REQUIRE(p.history().size() == 10);
    CHECK(p.history()[3].epoch == 4);
    CHECK(p.history()[3].seconds == 0.5);
}

TEST_CASE("on a terminal one line is redrawn in place and ended at the last epoch") {
    fake_clock clock;
    std::ostringstream out;
    kiln::io::progress p{out, {.epochs = 2, .display = kiln::io::progress_display::redraw, .clock = clock.function()}};
    clock.now = 1;
    p.record(1, 0.5, 0.5);
    CHECK(out.str() == "\repoch 1/2  loss 0.5000  accuracy 0.5000  ETA 1.0 s\x1b[K");
    clock.now = 2;
    p.record(2, 0.25, 1);
    CHECK(out.str() == "\repoch 1/2  loss 0.5000  accuracy 0.5000  ETA 1.0 s\x1b[K"
                       "\repoch 2/2  loss 0.2500  accuracy 1.0000  in 2.0 s\x1b[K\n");
    p.finish();  // nothing left to do
    CHECK(out.str().back() == '\n');
    CHECK(out.str().find("\n\n") == std::string::npos);
}

TEST_CASE("finish shows the epoch an early stop left unshown, and ends the line") {
    fake_clock clock;
    std::ostringstream out;
    kiln::io::progress p{out, {.epochs = 100, .display = kiln::io::progress_display::redraw, .interval = 10,
                               .clock = clock.function()}};
    for (std::size_t e = 1; e <= 4; ++e) {
        clock.now += 1;
        p.record(e, 1, 1);
    }
    CHECK(out.str().find("epoch 4/100") == std::string::npos);
    p.finish();
    CHECK(out.str().ends_with("\repoch 4/100  loss 1.0000  accuracy 1.0000  in 4.0 s\x1b[K\n"));

    // With the last epoch already on screen, finish only ends the line.
    std::ostringstream out2;
    kiln::io::progress q{out2, {.epochs = 100, .display = kiln::io::progress_display::redraw, .clock = clock.function()}};
    q.record(1, 1, 1);
    q.finish();
    CHECK(out2.str().ends_with("\x1b[K\n"));
}

TEST_CASE("a stream that is not a terminal gets plain lines, and none shows nothing") {
    fake_clock clock;
    std::ostringstream out;
    kiln::io::progress p{out, {.epochs = 1, .clock = clock.function()}};
    p.record(1, 1, 1);
    CHECK(out.str().find('\r') == std::string::npos);
    CHECK(out.str().back() == '\n');

    std::ostringstream quiet;
    kiln::io::progress q{quiet, {.epochs = 1, .display = kiln::io::progress_display::none, .clock = clock.function()}};
    q.record(1, 1, 1);
    q.finish();
    CHECK(quiet.str().empty());
    CHECK(q.history().size() == 1);
}

TEST_CASE("as fit()'s callback it records every epoch, with the held-out figure") {
    using net_t = kiln::network<double, kiln::dense<2, 4, kiln::tanh>, kiln::dense<4, 1, kiln::sigmoid>>;
    const kiln::dataset<double, 4, 2, 1> data{{{{0, 0}, {0}}, {{0, 1}, {1}}, {{1, 0}, {1}}, {{1, 1}, {0}}}};
    const kiln::dataset<double, 2, 2, 1> held{{{{0, 1}, {1}}, {{1, 1}, {0}}}};
    auto net = net_t::initialized(kiln::xavier_uniform{}, kiln::seed{2});
    fake_clock clock;
    std::ostringstream out;
    kiln::io::progress p{out, {.epochs = 5, .rows = 4, .held_out = kiln::io::accuracy_on(net, held),
                               .display = kiln::io::progress_display::lines, .clock = clock.function()}};
    std::vector<double> losses;
    const auto r = kiln::fit(net, data, kiln::binary_cross_entropy{}, kiln::sgd{.learning_rate = 0.5}, {.epochs = 5},
                             [&](const kiln::epoch_report<net_t>& e) {
                                 clock.now += 1;
                                 losses.push_back(e.loss);
                                 p(e);
                             });
    REQUIRE(r.epochs == 5);
    REQUIRE(p.history().size() == 5);
    for (std::size_t e = 0; e < 5; ++e) {
        CHECK(p.history()[e].epoch == e + 1);
        CHECK(p.history()[e].loss == losses[e]);
    }
    CHECK(p.history().back().held_out == kiln::accuracy(net, held));
    CHECK(out.str().find("held-out ") != std::string::npos);

    // Passed straight to fit, by reference.
    auto net2 = net_t::initialized(kiln::xavier_uniform{}, kiln::seed{2});
    kiln::io::progress direct{out, {.epochs = 5, .display = kiln::io::progress_display::none, .clock = clock.function()}};
    kiln::fit(net2, data, kiln::binary_cross_entropy{}, kiln::sgd{.learning_rate = 0.5}, {.epochs = 5}, direct);
    REQUIRE(direct.history().size() == 5);
    CHECK(direct.history()[4].loss == losses[4]);
}

TEST_CASE("the history as CSV: float figures written as floats, the held-out column only when present") {
    std::vector<kiln::io::epoch_record> h{{1, double(0.1f), double(0.5f), 0.75, 0.5}, {2, double(0.05f), 1.0, 0.8, 1.25}};
    CHECK(kiln::io::format_history(h) ==
          "epoch,loss,accuracy,held_out_accuracy,seconds\n1,0.1,0.5,0.75,0.500\n2,0.05,1,0.8,1.250\n");
    for (auto& r : h) r.held_out = std::numeric_limits<double>::quiet_NaN();
    CHECK(kiln::io::format_history(h) == "epoch,loss,accuracy,seconds\n1,0.1,0.5,0.500\n2,0.05,1,1.250\n");
    h[1].held_out = 0.9;
    CHECK(kiln::io::format_history(h) ==
          "epoch,loss,accuracy,held_out_accuracy,seconds\n1,0.1,0.5,,0.500\n2,0.05,1,0.9,1.250\n");
}

TEST_CASE("write_history writes the file, or says why it cannot") {
    const auto dir = std::filesystem::temp_directory_path() / "kiln_progress_test";
    std::filesystem::create_directories(dir);
    const auto path = dir / "history.csv";
    const std::vector<kiln::io::epoch_record> h{{1, 0.5, 0.5}};
    REQUIRE(kiln::io::write_history(path, h));
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str() == kiln::io::format_history(h));
    std::filesystem::remove_all(dir);

    const auto bad = kiln::io::write_history(dir / "no such directory" / "history.csv", h);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().message.find("cannot be opened for writing") != std::string::npos);
}
