#include "report/ordered_csv.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "engine/calendar.hpp"
#include "report/atomic_file.hpp"

namespace detsim {
namespace {

std::FILE* open_or_throw(const std::string& shown, const std::string& path, const char* mode) {
  std::FILE* f = std::fopen(path.c_str(), mode);
  if (!f) throw std::runtime_error(fmt::format("cannot write {}: {}", shown, std::strerror(errno)));
  return f;
}

std::string date_text(Day d) {
  const CivilDate c = civil_from_days(d);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

// Flushes and closes `f`; returns 0 or the errno of the first failure.
int close_checked(std::FILE* f) {
  errno = 0;
  int err = 0;
  if (std::fflush(f) != 0 || std::ferror(f) != 0) err = errno ? errno : EIO;
  if (std::fclose(f) != 0 && err == 0) err = errno ? errno : EIO;
  return err;
}

// ISO 8601 local date-time of `hours` after 00:00 of `start`, to the
// nearest second (the calendar has no time zone and no daylight saving).
std::string datetime_text(Day start, double hours) {
  if (!std::isfinite(hours)) return "";
  const long long seconds = std::llround(hours * 3600.0);
  long long days = seconds / 86400, rest = seconds % 86400;
  if (rest < 0) {
    rest += 86400;
    days -= 1;
  }
  return fmt::format("{}T{:02}:{:02}:{:02}", date_text(start + static_cast<Day>(days)), rest / 3600,
                     rest / 60 % 60, rest % 60);
}

const char* bool_text(bool b) {
  return b ? "true" : "false";
}

// Writes one replication's rows to its own part file. A failed write is
// reported to the owner (the observer interface cannot throw into the
// simulation usefully), which refuses to append or commit.
class PartWriter : public Observer {
 public:
  PartWriter(OrderedCsv& owner, std::string shown, const std::string& path, OrderedCsv::Kind kind,
             const Scenario& sc)
      : owner_(owner),
        shown_(std::move(shown)),
        file_(open_or_throw(shown_, path, "w")),
        kind_(kind),
        sc_(sc) {}
  ~PartWriter() override {
    if (const int err = close_checked(file_); err != 0 && !failed_)
      owner_.part_failed(fmt::format("cannot write {}: {}", shown_, std::strerror(err)));
  }
  bool wants_trace() const override { return kind_ == OrderedCsv::Kind::kTrace; }
  bool wants_series() const override { return kind_ == OrderedCsv::Kind::kSeries; }

  void on_person(const TraceRecord& r) override {
    if (failed_) return;
    try {
      fmt::print(file_, "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", r.replication,
                 r.id, sc_.facilities[r.facility].id, sc_.offense_ids[r.offense],
                 to_string(sc_.offense_severities[r.offense]), bool_text(r.citizen),
                 bool_text(r.convicted), r.booked_at, r.scheduled_release, bool_text(r.detainer),
                 bool_text(r.judicial_warrant),
                 r.action < 0 ? "" : to_string(static_cast<Action>(r.action)), r.outcome,
                 r.outcome_at, r.hold_hours, datetime_text(sc_.start, r.booked_at),
                 datetime_text(sc_.start, r.scheduled_release),
                 datetime_text(sc_.start, r.outcome_at));
    } catch (const std::system_error& e) {
      fail(e);
    }
  }
  void on_day(const SeriesRecord& r) override {
    if (failed_) return;
    try {
      fmt::print(file_, "{},{},{},{},{},{},{},{},{},{},{}\n", r.replication, date_text(r.date),
                 sc_.facilities[r.facility].id, r.occupancy, r.holds_active, r.decisions, r.honored,
                 r.notified, r.declined, r.transfers, r.lapsed);
    } catch (const std::system_error& e) {
      fail(e);
    }
  }

 private:
  void fail(const std::system_error& e) {
    failed_ = true;
    owner_.part_failed(fmt::format("cannot write {}: {}", shown_,
                                   std::strerror(e.code().value() ? e.code().value() : EIO)));
  }

  OrderedCsv& owner_;
  std::string shown_;
  std::FILE* file_;
  OrderedCsv::Kind kind_;
  const Scenario& sc_;
  bool failed_ = false;
};

}  // namespace

std::string OrderedCsv::header(Kind kind) {
  return kind == Kind::kTrace
             ? "replication,id,facility,offense,severity,citizen,convicted,booked_at,"
               "scheduled_release,detainer,judicial_warrant,action,outcome,outcome_at,hold_hours,"
               "booked_at_iso,scheduled_release_iso,outcome_at_iso\n"
             : "replication,date,facility,occupancy,holds_active,decisions,honored,notified,"
               "declined,transfers,lapsed\n";
}

OrderedCsv::OrderedCsv(std::string path, Kind kind, const Scenario& scenario, int first_replication)
    : path_(std::move(path)), kind_(kind), scenario_(scenario), next_(first_replication) {
  check_output_target(path_);
  temp_ = temp_path_beside(path_);
  out_ = open_or_throw(path_, temp_, "wx");
  if (std::fputs(header(kind_).c_str(), out_) == EOF)
    failure_ = fmt::format("cannot write {}: {}", path_, std::strerror(errno));
}

OrderedCsv::~OrderedCsv() {
  if (out_) std::fclose(out_);
  if (!committed_) ::unlink(temp_.c_str());
  for (int r : parts_) ::unlink(part_path(r).c_str());
}

std::string OrderedCsv::part_path(int replication) const {
  return fmt::format("{}.part{}", temp_, replication);
}

void OrderedCsv::part_failed(const std::string& message) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (failure_.empty()) failure_ = message;
}

void OrderedCsv::check_failure() {
  if (!failure_.empty()) throw std::runtime_error(failure_);
}

std::unique_ptr<Observer> OrderedCsv::observer(int replication) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    parts_.insert(replication);
  }
  return std::make_unique<PartWriter>(*this, path_, part_path(replication), kind_, scenario_);
}

void OrderedCsv::finish(int replication) {
  std::lock_guard<std::mutex> lock(mutex_);
  check_failure();
  finished_.insert(replication);
  while (!finished_.empty() && *finished_.begin() == next_) {
    const std::string part = part_path(next_);
    std::FILE* in = open_or_throw(path_, part, "r");
    char buffer[1 << 16];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0) {
      if (std::fwrite(buffer, 1, n, out_) != n) {
        failure_ = fmt::format("cannot write {}: {}", path_, std::strerror(errno));
        break;
      }
    }
    const bool read_failed = std::ferror(in) != 0;
    std::fclose(in);
    if (failure_.empty() && read_failed)
      failure_ = fmt::format("cannot write {}: cannot read back {}", path_, part);
    if (failure_.empty() && std::fflush(out_) != 0)
      failure_ = fmt::format("cannot write {}: {}", path_, std::strerror(errno));
    check_failure();
    ::unlink(part.c_str());
    parts_.erase(next_);
    finished_.erase(finished_.begin());
    ++next_;
  }
}

void OrderedCsv::commit() {
  std::lock_guard<std::mutex> lock(mutex_);
  check_failure();
  if (!finished_.empty() || !parts_.empty())
    throw std::runtime_error(
        fmt::format("cannot write {}: replications are missing from it", path_));
  std::FILE* out = out_;
  out_ = nullptr;
  if (const int err = close_checked(out); err != 0)
    throw std::runtime_error(fmt::format("cannot write {}: {}", path_, std::strerror(err)));
  sync_and_rename(temp_, path_);
  committed_ = true;
}

}  // namespace detsim
