#include "report/ordered_csv.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "engine/calendar.hpp"

namespace detsim {
namespace {

std::FILE* open_or_throw(const std::string& path, const char* mode) {
  std::FILE* f = std::fopen(path.c_str(), mode);
  if (!f) throw std::runtime_error(fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  return f;
}

std::string date_text(Day d) {
  const CivilDate c = civil_from_days(d);
  return fmt::format("{:04}-{:02}-{:02}", c.year, c.month, c.day);
}

const char* bool_text(bool b) {
  return b ? "true" : "false";
}

// Writes one replication's rows to its own part file.
class PartWriter : public Observer {
 public:
  PartWriter(const std::string& path, OrderedCsv::Kind kind, const Scenario& sc)
      : file_(open_or_throw(path, "w")), kind_(kind), sc_(sc) {}
  ~PartWriter() override {
    if (file_) std::fclose(file_);
  }
  bool wants_trace() const override { return kind_ == OrderedCsv::Kind::kTrace; }
  bool wants_series() const override { return kind_ == OrderedCsv::Kind::kSeries; }

  void on_person(const TraceRecord& r) override {
    fmt::print(file_, "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", r.replication, r.id,
               sc_.facilities[r.facility].id, sc_.offense_ids[r.offense],
               to_string(sc_.offense_severities[r.offense]), bool_text(r.citizen),
               bool_text(r.convicted), r.booked_at, r.scheduled_release, bool_text(r.detainer),
               bool_text(r.judicial_warrant),
               r.action < 0 ? "" : to_string(static_cast<Action>(r.action)), r.outcome,
               r.outcome_at, r.hold_hours);
  }
  void on_day(const SeriesRecord& r) override {
    fmt::print(file_, "{},{},{},{},{},{},{},{},{},{},{}\n", r.replication, date_text(r.date),
               sc_.facilities[r.facility].id, r.occupancy, r.holds_active, r.decisions, r.honored,
               r.notified, r.declined, r.transfers, r.lapsed);
  }

 private:
  std::FILE* file_;
  OrderedCsv::Kind kind_;
  const Scenario& sc_;
};

}  // namespace

std::string OrderedCsv::header(Kind kind) {
  return kind == Kind::kTrace
             ? "replication,id,facility,offense,severity,citizen,convicted,booked_at,"
               "scheduled_release,detainer,judicial_warrant,action,outcome,outcome_at,hold_hours\n"
             : "replication,date,facility,occupancy,holds_active,decisions,honored,notified,"
               "declined,transfers,lapsed\n";
}

OrderedCsv::OrderedCsv(std::string path, Kind kind, const Scenario& scenario, int first_replication)
    : path_(std::move(path)), kind_(kind), scenario_(scenario), next_(first_replication) {
  out_ = open_or_throw(path_, "w");
  std::fputs(header(kind_).c_str(), out_);
  std::fflush(out_);
}

OrderedCsv::~OrderedCsv() {
  if (out_) std::fclose(out_);
  for (int r : finished_) std::remove(part_path(r).c_str());
}

std::string OrderedCsv::part_path(int replication) const {
  return fmt::format("{}.part{}", path_, replication);
}

std::unique_ptr<Observer> OrderedCsv::observer(int replication) {
  return std::make_unique<PartWriter>(part_path(replication), kind_, scenario_);
}

void OrderedCsv::finish(int replication) {
  std::lock_guard<std::mutex> lock(mutex_);
  finished_.insert(replication);
  while (!finished_.empty() && *finished_.begin() == next_) {
    const std::string part = part_path(next_);
    std::FILE* in = open_or_throw(part, "r");
    char buffer[1 << 16];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, in)) > 0;)
      std::fwrite(buffer, 1, n, out_);
    std::fclose(in);
    std::remove(part.c_str());
    std::fflush(out_);
    finished_.erase(finished_.begin());
    ++next_;
  }
}

}  // namespace detsim
