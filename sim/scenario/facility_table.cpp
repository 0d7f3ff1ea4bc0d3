// Facility tables: CSV rows turned into `facilities:` items (docs/scenario.md,
// "Facility table").
//
// The CSV dialect: comma-separated, the first line names the columns, a cell
// may be written in double quotes ("" for a quote inside; a quoted cell ends
// on its own line), spaces around a cell are ignored, blank lines are
// skipped, a UTF-8 byte order mark is ignored. Quoting does not make a
// number text: a cell's value is read as an unquoted YAML scalar would be.
#include "scenario/facility_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "detsim/load.hpp"
#include "scenario/check.hpp"
#include "scenario/cursor.hpp"
#include "scenario/scenario_yaml.hpp"

namespace detsim {

namespace {

constexpr std::string_view kKey = "facilities_table";
constexpr std::string_view kPopulationPrefix = "population.";

// Columns other than population.KEY, in the order the rows are written.
constexpr std::string_view kColumns[] = {"id",
                                         "kind",
                                         "bookings_per_day",
                                         "capacity",
                                         "bed_day_cost",
                                         "marginal_bed_day_cost",
                                         "policy",
                                         "noncitizen_share"};
constexpr std::string_view kRequired[] = {"id", "kind", "bookings_per_day"};

struct Cell {
  std::string text;
  YamlPos pos;
};

struct Row {
  std::vector<Cell> cells;
  YamlPos pos;  // the row's first character
};

[[noreturn]] void fail_at(const YamlPos& pos, std::string_view path, std::string_view message) {
  throw InputError(format_input_error(pos, path, message));
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

// Splits the CSV text into rows of cells, each with its position (columns
// counted in characters, from 1).
class CsvReader {
 public:
  CsvReader(std::string_view text, const std::string* source) : text_(text), source_(source) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);
  }

  std::vector<Row> rows() {
    std::vector<Row> out;
    while (i_ < text_.size()) {
      Row row = read_row();
      const bool blank = row.cells.size() == 1 && row.cells[0].text.empty() && !quoted_;
      if (!blank) out.push_back(std::move(row));
    }
    return out;
  }

 private:
  YamlPos here() const { return {source_, line_, column_}; }

  // The byte at i_, checked; advances over it and returns it (a whole UTF-8
  // sequence is appended to `out` when given).
  void advance(std::string* out) {
    const unsigned char c = static_cast<unsigned char>(text_[i_]);
    const std::size_t n = utf8_length(text_, i_);
    if (n == 0) fail_at(here(), "", fmt::format("the text is not valid UTF-8 (byte 0x{:02X})", c));
    if (n == 1 && (c < 0x20 || c == 0x7F) && c != '\t' && c != '\r' && c != '\n') {
      fail_at(here(), "", fmt::format("a control character (0x{:02X}) is not allowed", c));
    }
    if (out) out->append(text_.substr(i_, n));
    i_ += n;
    ++column_;
  }

  bool at_end_of_line() const {
    return i_ >= text_.size() || text_[i_] == '\n' ||
           (text_[i_] == '\r' && (i_ + 1 == text_.size() || text_[i_ + 1] == '\n'));
  }

  void skip_end_of_line() {
    if (i_ < text_.size() && text_[i_] == '\r') ++i_;
    if (i_ < text_.size() && text_[i_] == '\n') ++i_;
    ++line_;
    column_ = 1;
  }

  Row read_row() {
    Row row;
    row.pos = here();
    quoted_ = false;
    while (true) {
      row.cells.push_back(read_cell());
      if (at_end_of_line()) break;
      advance(nullptr);  // the comma
    }
    skip_end_of_line();
    return row;
  }

  Cell read_cell() {
    while (i_ < text_.size() && is_blank(text_[i_])) advance(nullptr);
    Cell cell{"", here()};
    if (i_ < text_.size() && text_[i_] == '"') {
      quoted_ = true;
      advance(nullptr);
      while (true) {
        if (i_ >= text_.size() || text_[i_] == '\n' || text_[i_] == '\r') {
          fail_at(cell.pos, "", "a quoted cell must end with a quote on its own line");
        }
        if (text_[i_] == '"') {
          if (i_ + 1 < text_.size() && text_[i_ + 1] == '"') {
            advance(nullptr);
            advance(&cell.text);
            continue;
          }
          advance(nullptr);
          break;
        }
        advance(&cell.text);
      }
      while (i_ < text_.size() && is_blank(text_[i_])) advance(nullptr);
      if (!at_end_of_line() && text_[i_] != ',') {
        fail_at(here(), "", "expected a comma or the end of the line after a quoted cell");
      }
      return cell;
    }
    while (!at_end_of_line() && text_[i_] != ',') {
      if (text_[i_] == '"') fail_at(here(), "", "a quote may only begin a cell");
      advance(&cell.text);
    }
    while (!cell.text.empty() && is_blank(cell.text.back())) cell.text.pop_back();
    return cell;
  }

  std::string_view text_;
  const std::string* source_;
  std::size_t i_ = 0;
  int line_ = 1;
  int column_ = 1;
  bool quoted_ = false;  // the row being read has a quoted cell
};

// A column of the header: the key it sets on a facility (population keys
// under `population`).
struct Column {
  std::string name;
  std::string key;  // the facility key, or the population key
  bool population = false;
  YamlPos pos;
};

std::vector<Column> read_header(const Row& header) {
  std::vector<Column> columns;
  std::vector<std::string> known(std::begin(kColumns), std::end(kColumns));
  for (const Cell& cell : header.cells) {
    Column c{cell.text, cell.text, false, cell.pos};
    if (cell.text.empty()) fail_at(cell.pos, std::string(kKey), "a column has no name");
    if (cell.text.rfind(kPopulationPrefix, 0) == 0) {
      c.key = cell.text.substr(kPopulationPrefix.size());
      c.population = true;
      if (c.key.empty() || c.key.find('.') != std::string::npos) {
        fail_at(
            cell.pos, std::string(kKey),
            fmt::format("column '{}': expected population.KEY, KEY a population key", cell.text));
      }
    } else if (cell.text == "noncitizen_share") {
      c.key = "noncitizen_share";
      c.population = true;
    } else if (std::find(known.begin(), known.end(), cell.text) == known.end()) {
      fail_at(cell.pos, std::string(kKey),
              fmt::format("unknown column '{}'{}; columns: {} and population.KEY", cell.text,
                          did_you_mean(cell.text, known), join(known)));
    }
    for (const Column& prior : columns) {
      if (prior.key == c.key && prior.population == c.population) {
        fail_at(cell.pos, std::string(kKey),
                fmt::format("column '{}' sets the same key as column '{}'", c.name, prior.name));
      }
    }
    columns.push_back(std::move(c));
  }
  for (std::string_view required : kRequired) {
    const bool found = std::any_of(columns.begin(), columns.end(), [&](const Column& c) {
      return !c.population && c.key == required;
    });
    if (!found) {
      fail_at(
          header.pos, std::string(kKey),
          fmt::format("missing required column '{}' (the first line names the columns)", required));
    }
  }
  return columns;
}

// The facility mapping of one row; `path` is its path in `facilities`.
YamlNode facility_of(const Row& row, const std::vector<Column>& columns, const std::string& path) {
  if (row.cells.size() != columns.size()) {
    const YamlPos at = row.cells.size() > columns.size() ? row.cells[columns.size()].pos : row.pos;
    fail_at(at, path,
            fmt::format("expected {} cells (one per column), found {}", columns.size(),
                        row.cells.size()));
  }
  YamlNode facility = YamlNode::map(row.pos);
  // Keys in the order of kColumns, then the population keys in column order.
  for (std::string_view key : kColumns) {
    for (std::size_t k = 0; k < columns.size(); ++k) {
      const Column& column = columns[k];
      const Cell& cell = row.cells[k];
      if (column.population || column.key != key) continue;
      const std::string cell_path = fmt::format("{}.{}", path, column.key);
      if (cell.text.empty()) {
        if (std::find(std::begin(kRequired), std::end(kRequired), key) != std::end(kRequired)) {
          fail_at(cell.pos, cell_path, "this column is required: the cell cannot be empty");
        }
        continue;
      }
      YamlNode value = YamlNode::scalar(cell.text, cell.pos);
      facility.entries.push_back({column.key, cell.pos, std::move(value)});
    }
  }
  YamlNode population;
  for (std::size_t k = 0; k < columns.size(); ++k) {
    const Column& column = columns[k];
    const Cell& cell = row.cells[k];
    if (!column.population || cell.text.empty()) continue;
    if (population.is_null()) population = YamlNode::map(cell.pos);
    population.entries.push_back({column.key, cell.pos, YamlNode::scalar(cell.text, cell.pos)});
  }
  if (!population.is_null()) {
    facility.entries.push_back({"population", population.pos, std::move(population)});
  }
  return facility;
}

}  // namespace

void expand_facilities_table(YamlNode& root, const std::string& source) {
  if (!root.is_map()) return;
  const YamlNode* entry = root.find(kKey);
  if (!entry) return;
  YamlPos key_pos = root.pos;
  for (const YamlEntry& e : root.entries) {
    if (e.key == kKey && e.key_pos.known()) key_pos = e.key_pos;
  }
  if (entry->is_null()) {
    root.erase(kKey);
    return;
  }
  const Cursor c(*entry, std::string(kKey), key_pos);
  const std::string name = read_string(c);
  if (!c.node().is_scalar()) c.expected("the path of a CSV file");
  namespace fs = std::filesystem;
  const fs::path given(name);
  const std::string path =
      given.is_absolute() ? name
                          : (fs::path(source).parent_path() / given).lexically_normal().string();
  std::string text;
  if (fs::is_directory(path) || !read_file_text(path, &text)) {
    c.fail(fmt::format("cannot read the facility table {}", path));
  }
  const std::string* table_source = intern_source(path);
  std::vector<Row> rows = CsvReader(text, table_source).rows();
  if (rows.empty()) fail_at({table_source, 1, 1}, std::string(kKey), "the file is empty");
  const std::vector<Column> columns = read_header(rows.front());

  YamlNode* facilities = root.find("facilities");
  if (!facilities) {
    root.set("facilities", YamlNode{YamlNode::Kind::kList, false, key_pos, {}, {}, {}});
    facilities = root.find("facilities");
  } else if (facilities->is_null()) {
    const YamlPos at = facilities->pos.known() ? facilities->pos : key_pos;
    *facilities = YamlNode{YamlNode::Kind::kList, false, at, {}, {}, {}};
  }
  if (!facilities->is_list()) {
    Cursor(*facilities, "facilities", key_pos).expected("a list of facilities");
  }
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const std::string item_path = fmt::format("facilities[{}]", facilities->items.size());
    facilities->items.push_back(facility_of(rows[r], columns, item_path));
  }
  root.erase(kKey);
}

YamlNode read_scenario_tree(const std::string& path) {
  YamlNode root = read_yaml_file(path);
  expand_facilities_table(root, path);
  return root;
}

}  // namespace detsim
