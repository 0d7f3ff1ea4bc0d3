// Sensitivity of a sweep: a linear metamodel of each metric's mean on the
// swept parameters, fitted by least squares on z-scored columns, so each
// coefficient is a standardized regression coefficient (SRC): the change in
// the metric, in its standard deviations, per standard deviation of the
// parameter, the others held fixed. With independent inputs (grid, random,
// lhs) the squared SRCs sum to about R² when the model is close to linear.
#include <fmt/format.h>

#include <Eigen/QR>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include "detsim/sweep.hpp"
#include "experiment/stats.hpp"

namespace detsim {

namespace {

std::optional<double> number(const std::string& text) {
  double x = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(x))
    return std::nullopt;
  return x;
}

struct Design {
  std::vector<std::string> names;
  Eigen::MatrixXd x;  // rows: points
};

// The columns of parameter `k`: one numeric column, or one indicator per
// category but the first.
void add_parameter(Design& d, const std::string& name,
                   const std::vector<std::vector<std::string>>& rows, std::size_t k) {
  const auto n = static_cast<Eigen::Index>(rows.size());
  std::vector<std::string> categories;
  Eigen::VectorXd numeric(n);
  bool all_numbers = true;
  for (Eigen::Index r = 0; r < n; ++r) {
    const std::string& text = rows[static_cast<std::size_t>(r)][k];
    if (const auto x = number(text))
      numeric(r) = *x;
    else
      all_numbers = false;
    if (std::find(categories.begin(), categories.end(), text) == categories.end())
      categories.push_back(text);
  }
  std::vector<std::pair<std::string, Eigen::VectorXd>> columns;
  if (all_numbers) {
    columns.emplace_back(name, numeric);
  } else {
    for (std::size_t c = 1; c < categories.size(); ++c) {
      Eigen::VectorXd indicator(n);
      for (Eigen::Index r = 0; r < n; ++r)
        indicator(r) = rows[static_cast<std::size_t>(r)][k] == categories[c] ? 1.0 : 0.0;
      columns.emplace_back(name + "=" + categories[c], indicator);
    }
  }
  for (auto& [column_name, column] : columns) {
    d.names.push_back(column_name);
    d.x.conservativeResize(n, d.x.cols() + 1);
    d.x.col(d.x.cols() - 1) = column;
  }
}

// z-scores each column in place; false for a constant column.
bool standardize(Eigen::Ref<Eigen::VectorXd> v) {
  const double mean = v.mean();
  v.array() -= mean;
  const double sd =
      std::sqrt(v.squaredNorm() / static_cast<double>(std::max<Eigen::Index>(v.size() - 1, 1)));
  if (!(sd > 0) || !std::isfinite(sd)) return false;
  v /= sd;
  return true;
}

// Standardized columns of `d`, constant ones left out.
Design standardized(const Design& d) {
  Design out;
  out.x.resize(d.x.rows(), 0);
  for (Eigen::Index c = 0; c < d.x.cols(); ++c) {
    Eigen::VectorXd v = d.x.col(c);
    if (!standardize(v)) continue;
    out.names.push_back(d.names[static_cast<std::size_t>(c)]);
    out.x.conservativeResize(Eigen::NoChange, out.x.cols() + 1);
    out.x.col(out.x.cols() - 1) = v;
  }
  return out;
}

MetricSensitivity fit(const Design& z, const std::string& metric, Eigen::VectorXd y) {
  MetricSensitivity s;
  s.metric = metric;
  s.points = static_cast<int>(y.size());
  s.r_squared = kNaN;
  if (!y.allFinite()) {
    s.note = "some means are missing";
    return s;
  }
  if (!standardize(y)) {
    s.note = "the metric is the same at every point";
    return s;
  }
  if (z.x.cols() == 0 || y.size() <= z.x.cols() + 1) {
    s.note = fmt::format("too few points ({}) for {} inputs", y.size(), z.x.cols());
    return s;
  }
  const Eigen::VectorXd b = z.x.colPivHouseholderQr().solve(y);
  const Eigen::VectorXd residual = y - z.x * b;
  s.r_squared = 1.0 - residual.squaredNorm() / y.squaredNorm();
  for (Eigen::Index c = 0; c < b.size(); ++c)
    s.terms.push_back({z.names[static_cast<std::size_t>(c)], b(c)});
  std::stable_sort(s.terms.begin(), s.terms.end(),
                   [](const SensitivityTerm& a, const SensitivityTerm& b2) {
                     return std::fabs(a.coefficient) > std::fabs(b2.coefficient);
                   });
  return s;
}

}  // namespace

std::vector<MetricSensitivity> sensitivity(const std::vector<std::string>& parameters,
                                           const std::vector<std::string>& metrics,
                                           const std::vector<std::vector<std::string>>& rows,
                                           const std::vector<std::vector<double>>& means) {
  Design d;
  d.x.resize(static_cast<Eigen::Index>(rows.size()), 0);
  for (std::size_t k = 0; k < parameters.size(); ++k) add_parameter(d, parameters[k], rows, k);
  const Design z = standardized(d);
  std::vector<MetricSensitivity> out;
  for (std::size_t m = 0; m < metrics.size(); ++m) {
    Eigen::VectorXd y(static_cast<Eigen::Index>(means.size()));
    for (std::size_t r = 0; r < means.size(); ++r) y(static_cast<Eigen::Index>(r)) = means[r][m];
    out.push_back(fit(z, metrics[m], std::move(y)));
  }
  return out;
}

std::string sensitivity_table(const std::vector<MetricSensitivity>& fits) {
  std::string out =
      "Sensitivity: linear metamodel of each metric's mean on the swept parameters;\n"
      "standardized regression coefficients (inputs and metric z-scored), largest first.\n";
  for (const MetricSensitivity& f : fits) {
    out += fmt::format("\n{}  ({} points", f.metric, f.points);
    if (!f.note.empty()) {
      out += fmt::format("; no fit: {})\n", f.note);
      continue;
    }
    out += fmt::format(", R² = {:.3f})\n", f.r_squared);
    std::size_t width = 0;
    for (const SensitivityTerm& t : f.terms) width = std::max(width, t.name.size());
    for (const SensitivityTerm& t : f.terms)
      out += fmt::format("  {:<{}}  {:+.3f}\n", t.name, width, t.coefficient);
  }
  return out;
}

}  // namespace detsim
