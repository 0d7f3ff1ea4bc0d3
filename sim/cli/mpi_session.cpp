// Sweeps and calibrations over MPI ranks: rank 0 hands out points (or a
// round's candidates) and writes, the others run them (see mpi_session.hpp
// for the protocol).
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <optional>
#include <stdexcept>
#include <thread>

#include <unistd.h>

#include "calibrate/candidates.hpp"
#include "detsim/load.hpp"
#include "cli/cli.hpp"
#include "cli/mpi_session.hpp"
#include "cli/progress.hpp"
#include "cli/signals.hpp"
#include "cli/sweep.hpp"
#include "sweep/points.hpp"

#ifdef DETSIM_HAVE_MPI
#include <mpi.h>
#endif

namespace detsim {

#ifndef DETSIM_HAVE_MPI

MpiSession::MpiSession() = default;
MpiSession::~MpiSession() = default;

void MpiSession::require_serialized() const {}
int MpiSession::agree(const std::exception_ptr& error, const char*) const {
  if (error) std::rethrow_exception(error);
  return 0;
}

int run_sweep_mpi(const MpiSession&, const SweepJob&) {
  throw std::logic_error("run_sweep_mpi: this detsim was built without MPI");
}
std::unique_ptr<CandidateExecutor> mpi_candidates(const MpiSession&, const CalibrationInputs&) {
  throw std::logic_error("mpi_candidates: this detsim was built without MPI");
}
int run_candidates_mpi(const MpiSession&, const CalibrationInputs&, int) {
  throw std::logic_error("run_candidates_mpi: this detsim was built without MPI");
}

#else

namespace {

enum Tag : int { kRequest = 1, kPoint = 2, kResult = 3, kDone = 4, kRound = 5 };

int provided_level = MPI_THREAD_SINGLE;

// The exit code of an exception: 2 for bad input, 1 for anything else.
int exit_code_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const InputError&) {
    return 2;
  } catch (const cli::UsageError&) {
    return 2;
  } catch (...) {
    return 1;
  }
}

// A worker's feed: asks rank 0 for each point; asks for no more once the
// worker is told to stop (its points in flight still finish and are sent).
class MpiFeed : public PointFeed {
 public:
  explicit MpiFeed(const std::atomic<bool>& stop) : stop_(stop) {}
  int next() override {
    if (stop_.load()) finished_ = true;
    if (finished_) return -1;
    int point = -1;
    MPI_Send(nullptr, 0, MPI_INT, 0, kRequest, MPI_COMM_WORLD);
    MPI_Recv(&point, 1, MPI_INT, 0, kPoint, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    finished_ = point < 0;
    return point;
  }

 private:
  const std::atomic<bool>& stop_;
  bool finished_ = false;
};

// A worker's sink: sends each finished point to rank 0.
class MpiSink : public PointSink {
 public:
  void done(int point, const Eigen::MatrixXd& values) override {
    std::vector<double> message(1 + static_cast<std::size_t>(values.size()));
    message[0] = point;
    Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> >(
        message.data() + 1, values.rows(), values.cols()) = values;
    MPI_Send(message.data(), static_cast<int>(message.size()), MPI_DOUBLE, 0, kResult,
             MPI_COMM_WORLD);
  }
};

int work(const SweepJob& job, const SweepInputs& in) {
  StopSignals signals;
  MpiFeed feed(signals.flag());
  MpiSink sink;
  try {
    ExecuteOptions options;
    options.threads = job.run.threads;
    execute_points(in, feed, sink, options);
  } catch (const std::exception& e) {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    fmt::print(stderr, "detsim sweep (MPI rank {}): error: {}\n", rank, e.what());
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Send(nullptr, 0, MPI_INT, 0, kDone, MPI_COMM_WORLD);
  return signals.received() ? 128 + signals.received() : 0;
}

// Rank 0 receives one message and acts on it.
void serve(const MPI_Status& status, const Sweep& sweep, PointFeed& feed, ResultsWriter& writer,
           bool stopping, int* running) {
  const int from = status.MPI_SOURCE;
  if (status.MPI_TAG == kResult) {
    int count = 0;
    MPI_Get_count(&status, MPI_DOUBLE, &count);
    std::vector<double> message(static_cast<std::size_t>(count));
    MPI_Recv(message.data(), count, MPI_DOUBLE, from, kResult, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    const auto reps = static_cast<Eigen::Index>(sweep.replications);
    const auto cols = static_cast<Eigen::Index>(sweep.metrics.size());
    if (count != 1 + reps * cols) throw std::runtime_error("MPI: a result of the wrong size");
    const Eigen::MatrixXd values =
        Eigen::Map<const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> >(
            message.data() + 1, reps, cols);
    writer.done(static_cast<int>(message[0]), values);
    return;
  }
  MPI_Recv(nullptr, 0, MPI_INT, from, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  if (status.MPI_TAG == kRequest) {
    int point = stopping ? -1 : feed.next();
    MPI_Send(&point, 1, MPI_INT, from, kPoint, MPI_COMM_WORLD);
  } else if (status.MPI_TAG == kDone) {
    --*running;
  }
}

int coordinate(const SweepJob& job, const SweepInputs& in, const OpenResults& open, int ranks) {
  ResultsWriter writer(in.sweep, open);
  SweepStatus sweep_status = start_status(open);
  SweepProgress progress(!job.quiet && isatty(STDERR_FILENO) != 0, sweep_status.total,
                         sweep_status.already_done);
  StopSignals signals;
  ListFeed feed(open.todo);
  int running = ranks - 1;
  while (running > 0) {
    int waiting = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status);
    if (waiting) {
      serve(status, in.sweep, feed, writer, signals.flag().load(), &running);
    } else {
      progress.update(writer.finished());
      std::this_thread::sleep_for(std::chrono::milliseconds(1));  // leave the core to the workers
    }
  }
  progress.clear();
  if (signals.received() != 0) writer.flush_waiting();
  writer.sync();
  sweep_status.finished = writer.finished();
  return finish_sweep(job, in.sweep, sweep_status, signals.received());
}

// Rank 0 of a calibration: each round goes to every worker; candidate
// indices are handed out on request and the results collected by index.
class MpiCandidates : public CandidateExecutor {
 public:
  MpiCandidates(const MpiSession& mpi, const CalibrationInputs& in)
      : workers_(mpi.size() - 1), columns_(candidate_columns(in)) {}
  ~MpiCandidates() override {
    for (int r = 1; r <= workers_; ++r) MPI_Send(nullptr, 0, MPI_DOUBLE, r, kRound, MPI_COMM_WORLD);
  }
  MpiCandidates(const MpiCandidates&) = delete;
  MpiCandidates& operator=(const MpiCandidates&) = delete;

  bool run(std::uint32_t round, const std::vector<std::vector<double> >& z, int replications,
           const std::atomic<bool>* stop, const std::function<void(int)>& tick,
           std::vector<CandidateValues>* out) override {
    out->assign(z.size(), CandidateValues());
    if ((stop && stop->load()) || z.empty()) return z.empty();
    const std::size_t d = z.front().size();
    std::vector<double> message = {static_cast<double>(round), static_cast<double>(replications),
                                   static_cast<double>(d)};
    for (const std::vector<double>& c : z) message.insert(message.end(), c.begin(), c.end());
    try {
      for (int r = 1; r <= workers_; ++r) {
        MPI_Send(message.data(), static_cast<int>(message.size()), MPI_DOUBLE, r, kRound,
                 MPI_COMM_WORLD);
      }
      return collect(z.size(), replications, stop, tick, out);
    } catch (const std::exception& e) {
      // The workers are inside the round: no orderly way out.
      fmt::print(stderr, "detsim calibrate (MPI rank 0): error: {}\n", e.what());
      MPI_Abort(MPI_COMM_WORLD, 1);
      return false;
    }
  }

 private:
  bool collect(std::size_t n, int replications, const std::atomic<bool>* stop,
               const std::function<void(int)>& tick, std::vector<CandidateValues>* out) {
    int next = 0, done = 0, running = workers_;
    auto last_tick = std::chrono::steady_clock::now();
    while (running > 0) {
      int waiting = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &waiting, &status);
      if (!waiting) {
        if (tick && std::chrono::steady_clock::now() - last_tick > std::chrono::milliseconds(250)) {
          tick(done);
          last_tick = std::chrono::steady_clock::now();
        }
        // Leave the core to the workers, but answer soon: they wait for it.
        std::this_thread::sleep_for(std::chrono::microseconds(100));
        continue;
      }
      const int from = status.MPI_SOURCE;
      if (status.MPI_TAG == kResult) {
        int count = 0;
        MPI_Get_count(&status, MPI_DOUBLE, &count);
        std::vector<double> m(static_cast<std::size_t>(count));
        MPI_Recv(m.data(), count, MPI_DOUBLE, from, kResult, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        const int i = count > 0 ? static_cast<int>(m[0]) : -1;
        if (count != 1 + replications * columns_ || i < 0 || i >= static_cast<int>(n) ||
            (*out)[static_cast<std::size_t>(i)].size() != 0) {
          throw std::runtime_error("MPI: a candidate's result of the wrong size or index");
        }
        (*out)[static_cast<std::size_t>(i)] = Eigen::Map<
            const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> >(
            m.data() + 1, replications, columns_);
        ++done;
        continue;
      }
      MPI_Recv(nullptr, 0, MPI_INT, from, status.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      if (status.MPI_TAG == kRequest) {
        // Guided self-scheduling: a share of what is left, down to one.
        const int left = stop && stop->load() ? 0 : static_cast<int>(n) - next;
        std::vector<int> chunk;
        for (int k = std::min(left, std::max(1, left / (2 * workers_))); k > 0; --k) {
          chunk.push_back(next++);
        }
        if (chunk.empty()) chunk.push_back(-1);
        MPI_Send(chunk.data(), static_cast<int>(chunk.size()), MPI_INT, from, kPoint,
                 MPI_COMM_WORLD);
      } else if (status.MPI_TAG == kDone) {
        --running;
      }
    }
    return done == static_cast<int>(n);
  }

  const int workers_;
  const int columns_;
};

// A calibration worker's feed: asks rank 0 for candidates, a few at a time,
// and for none once told to stop (like MpiFeed).
class CandidateFeed : public PointFeed {
 public:
  explicit CandidateFeed(const std::atomic<bool>& stop) : stop_(stop) {}
  int next() override {
    if (stop_.load()) finished_ = true;
    if (finished_) return -1;
    if (held_.empty()) {
      MPI_Send(nullptr, 0, MPI_INT, 0, kRequest, MPI_COMM_WORLD);
      MPI_Status status;
      MPI_Probe(0, kPoint, MPI_COMM_WORLD, &status);
      int count = 0;
      MPI_Get_count(&status, MPI_INT, &count);
      std::vector<int> chunk(static_cast<std::size_t>(count));
      MPI_Recv(chunk.data(), count, MPI_INT, 0, kPoint, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      finished_ = chunk.empty() || chunk.front() < 0;
      if (finished_) return -1;
      held_.assign(chunk.begin(), chunk.end());
    }
    const int candidate = held_.front();
    held_.pop_front();
    return candidate;
  }

 private:
  const std::atomic<bool>& stop_;
  std::deque<int> held_;
  bool finished_ = false;
};

// A worker of a calibration waits for the next round (politely: rank 0
// computes between rounds); false for "no more rounds".
bool next_round(std::vector<double>* message) {
  MPI_Status status;
  for (int waiting = 0; !waiting;) {
    MPI_Iprobe(0, kRound, MPI_COMM_WORLD, &waiting, &status);
    if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  int count = 0;
  MPI_Get_count(&status, MPI_DOUBLE, &count);
  message->assign(static_cast<std::size_t>(count), 0.0);
  MPI_Recv(message->data(), count, MPI_DOUBLE, 0, kRound, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return count > 0;
}

}  // namespace

MpiSession::MpiSession() {
  int done = 0;
  MPI_Initialized(&done);
  if (!done) {
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided_level);
    initialized_ = true;
  }
  MPI_Query_thread(&provided_level);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

MpiSession::~MpiSession() {
  if (initialized_) MPI_Finalize();
}

void MpiSession::require_serialized() const {
  if (provided_level < MPI_THREAD_SERIALIZED) {
    throw std::runtime_error("the MPI library does not provide MPI_THREAD_SERIALIZED");
  }
}

int MpiSession::agree(const std::exception_ptr& error, const char* command) const {
  const int mine = error ? exit_code_of(error) : 0;
  int worst = 0;
  int root = mine;
  MPI_Allreduce(&mine, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Bcast(&root, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (worst == 0) return 0;
  if (rank_ == 0) {
    if (error) std::rethrow_exception(error);
    throw std::runtime_error(
        fmt::format("another MPI rank could not prepare the {} (see its message)", command));
  }
  if (error && root == 0) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      fmt::print(stderr, "detsim {} (MPI rank {}): {}\n", command, rank_, e.what());
    } catch (const cli::UsageError& e) {
      fmt::print(stderr, "detsim {} (MPI rank {}): {}\n", command, rank_, e.message);
    }
  }
  return worst;
}

int run_sweep_mpi(const MpiSession& mpi, const SweepJob& job) {
  std::optional<SweepInputs> in;
  std::exception_ptr error;
  try {
    mpi.require_serialized();
    in.emplace(read_sweep_inputs(job.sweep_path));
    if (mpi.rank() == 0) check_points(*in, job.run.threads);
  } catch (...) {
    error = std::current_exception();
  }
  if (const int code = mpi.agree(error, "sweep")) return code;
  OpenResults open;
  try {
    if (mpi.rank() == 0) open_results(job, *in, open);
  } catch (...) {
    error = std::current_exception();
  }
  if (const int code = mpi.agree(error, "sweep")) return code;
  return mpi.rank() == 0 ? coordinate(job, *in, open, mpi.size()) : work(job, *in);
}

std::unique_ptr<CandidateExecutor> mpi_candidates(const MpiSession& mpi,
                                                  const CalibrationInputs& in) {
  return std::make_unique<MpiCandidates>(mpi, in);
}

int run_candidates_mpi(const MpiSession&, const CalibrationInputs& in, int threads) {
  StopSignals signals;
  SweepInputs sweep = in.sweep;
  std::vector<double> message;
  while (next_round(&message)) {
    const auto round = static_cast<std::uint32_t>(message[0]);
    const int replications = static_cast<int>(message[1]);
    const auto d = static_cast<std::size_t>(message[2]);
    std::vector<std::vector<double> > z;
    for (std::size_t at = 3; d > 0 && at + d <= message.size(); at += d) {
      z.emplace_back(message.begin() + static_cast<std::ptrdiff_t>(at),
                     message.begin() + static_cast<std::ptrdiff_t>(at + d));
    }
    CandidateFeed feed(signals.flag());
    MpiSink sink;
    try {
      set_candidate_points(in, round, z, replications, &sweep);
      ExecuteOptions options;
      options.threads = threads;
      options.measure = [&in](const ReplicationMetrics& m) { return measure_candidate(in, m); };
      options.measure_columns = candidate_columns(in);
      execute_points(sweep, feed, sink, options);
    } catch (const std::exception& e) {
      int rank = 0;
      MPI_Comm_rank(MPI_COMM_WORLD, &rank);
      fmt::print(stderr, "detsim calibrate (MPI rank {}): error: {}\n", rank, e.what());
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Send(nullptr, 0, MPI_INT, 0, kDone, MPI_COMM_WORLD);
  }
  return signals.received() ? 128 + signals.received() : 0;
}

#endif

}  // namespace detsim
