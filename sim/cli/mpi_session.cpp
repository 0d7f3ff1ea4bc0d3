// Sweeps over MPI ranks: rank 0 hands out points and writes, the others run
// them (see mpi_session.hpp for the protocol).
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <thread>

#include <unistd.h>

#include "detsim/load.hpp"
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

int run_sweep_mpi(const MpiSession&, const SweepJob&) {
  throw std::logic_error("run_sweep_mpi: this detsim was built without MPI");
}

#else

namespace {

enum Tag : int { kRequest = 1, kPoint = 2, kResult = 3, kDone = 4 };

int provided_level = MPI_THREAD_SINGLE;

// The exit code of an exception: 2 for bad input, 1 for anything else.
int exit_code_of(const std::exception_ptr& e) {
  try {
    std::rethrow_exception(e);
  } catch (const InputError&) {
    return 2;
  } catch (...) {
    return 1;
  }
}

// After a phase where some ranks may have failed: every rank learns the
// worst exit code. Rank 0 rethrows its own error (or reports the others');
// the other ranks print theirs only when rank 0 had none.
int agree(const MpiSession& mpi, const std::exception_ptr& error) {
  const int mine = error ? exit_code_of(error) : 0;
  int worst = 0;
  int root = mine;
  MPI_Allreduce(&mine, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  MPI_Bcast(&root, 1, MPI_INT, 0, MPI_COMM_WORLD);
  if (worst == 0) return 0;
  if (mpi.rank() == 0) {
    if (error) std::rethrow_exception(error);
    throw std::runtime_error("another MPI rank could not prepare the sweep (see its message)");
  }
  if (error && root == 0) {
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      fmt::print(stderr, "detsim sweep (MPI rank {}): {}\n", mpi.rank(), e.what());
    }
  }
  return worst;
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

int run_sweep_mpi(const MpiSession& mpi, const SweepJob& job) {
  std::optional<SweepInputs> in;
  std::exception_ptr error;
  try {
    if (provided_level < MPI_THREAD_SERIALIZED) {
      throw std::runtime_error("the MPI library does not provide MPI_THREAD_SERIALIZED");
    }
    in.emplace(read_sweep_inputs(job.sweep_path));
    if (mpi.rank() == 0) check_points(*in, job.run.threads);
  } catch (...) {
    error = std::current_exception();
  }
  if (const int code = agree(mpi, error)) return code;
  OpenResults open;
  try {
    if (mpi.rank() == 0) open_results(job, *in, open);
  } catch (...) {
    error = std::current_exception();
  }
  if (const int code = agree(mpi, error)) return code;
  return mpi.rank() == 0 ? coordinate(job, *in, open, mpi.size()) : work(job, *in);
}

#endif

}  // namespace detsim
