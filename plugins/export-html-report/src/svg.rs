//! Inline SVG charts, drawn here so the report needs no script library and no network. Plain
//! string building: the charts are a few dozen elements each, and no charting crate draws
//! into an HTML page without a runtime.

use std::fmt::Write;

use crate::render::escape;

/// Chart colours: a muted palette that survives printing in grey.
const PALETTE: &[&str] = &[
    "#3b6ea8", "#d08a2e", "#4f9a6a", "#b8524e", "#7d62a8", "#8c6d4f", "#c46fa3", "#6f7d8c",
];

/// A horizontal bar chart of labelled counts, largest first.
pub fn bar_chart(title: &str, items: &[(String, u64)]) -> String {
    if items.is_empty() {
        return empty_chart(title, "no data in this run");
    }
    let width = 460.0;
    let label_width = 150.0;
    let bar_height = 20.0;
    let gap = 6.0;
    let max = items
        .iter()
        .map(|(_, count)| *count)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let total: u64 = items.iter().map(|(_, count)| count).sum();
    let height = items.len() as f64 * (bar_height + gap) + gap;
    let mut svg = open_svg(title, width, height);
    for (idx, (label, count)) in items.iter().enumerate() {
        let y = gap + idx as f64 * (bar_height + gap);
        let bar_width = (width - label_width - 70.0) * (*count as f64 / max);
        let share = 100.0 * *count as f64 / total.max(1) as f64;
        let _ = write!(
            svg,
            r#"<g class="bar"><title>{label}: {count} ({share:.1} %)</title><text x="{lx}" y="{ty}" text-anchor="end">{short}</text><rect x="{label_width}" y="{y}" width="{bar_width:.1}" height="{bar_height}" rx="2" fill="{colour}"/><text x="{vx:.1}" y="{ty}">{count}</text></g>"#,
            label = escape(label),
            short = escape(&shorten(label, 22)),
            lx = label_width - 6.0,
            ty = y + bar_height * 0.72,
            vx = label_width + bar_width + 5.0,
            colour = PALETTE[idx % PALETTE.len()],
        );
    }
    svg.push_str("</svg>");
    svg
}

/// Articles per period as columns.
pub fn volume_chart(title: &str, periods: &[(String, u64)]) -> String {
    if periods.is_empty() {
        return empty_chart(title, "no publication dates in this run");
    }
    let (width, height, left, bottom, top) = (460.0, 200.0, 40.0, 30.0, 10.0);
    let plot_width = width - left - 10.0;
    let plot_height = height - bottom - top;
    let max = periods.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1) as f64;
    let step = plot_width / periods.len() as f64;
    let mut svg = open_svg(title, width, height);
    axis_labels(&mut svg, left, top, plot_height, &max.to_string(), "0");
    for (idx, (period, n_articles)) in periods.iter().enumerate() {
        let column_height = plot_height * (*n_articles as f64 / max);
        let _ = write!(
            svg,
            r#"<rect x="{x:.2}" y="{y:.2}" width="{w:.2}" height="{column_height:.2}" fill="{colour}"><title>{period}: {n_articles} articles</title></rect>"#,
            x = left + idx as f64 * step + step * 0.1,
            y = top + plot_height - column_height,
            w = (step * 0.8).max(0.5),
            colour = PALETTE[0],
            period = escape(period),
        );
    }
    period_labels(&mut svg, periods, left, step, height - 8.0);
    svg.push_str("</svg>");
    svg
}

/// Mean tone per period as a line around zero.
pub fn tone_chart(title: &str, periods: &[(String, f64, u64)]) -> String {
    if periods.is_empty() {
        return empty_chart(title, "no dated articles with a tone in this run");
    }
    let (width, height, left, bottom, top) = (460.0, 200.0, 40.0, 30.0, 10.0);
    let plot_width = width - left - 10.0;
    let plot_height = height - bottom - top;
    // Symmetric around zero, so the zero line sits in the middle and sign reads at a glance.
    let extent = periods
        .iter()
        .map(|(_, tone, _)| tone.abs())
        .fold(0.05_f64, f64::max);
    let step = plot_width / periods.len() as f64;
    let x_of = |idx: usize| left + step * (idx as f64 + 0.5);
    let y_of = |tone: f64| top + plot_height * (0.5 - tone / (2.0 * extent));
    let mut svg = open_svg(title, width, height);
    axis_labels(
        &mut svg,
        left,
        top,
        plot_height,
        &format!("+{extent:.2}"),
        &format!("−{extent:.2}"),
    );
    let _ = write!(
        svg,
        r##"<line x1="{left}" x2="{x2}" y1="{y:.2}" y2="{y:.2}" stroke="#999" stroke-dasharray="3 3"/>"##,
        x2 = width - 10.0,
        y = y_of(0.0),
    );
    let points: Vec<String> = periods
        .iter()
        .enumerate()
        .map(|(idx, (_, tone, _))| format!("{:.2},{:.2}", x_of(idx), y_of(*tone)))
        .collect();
    let _ = write!(
        svg,
        r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>"#,
        points.join(" "),
        PALETTE[3]
    );
    for (idx, (period, tone, n_articles)) in periods.iter().enumerate() {
        let _ = write!(
            svg,
            r#"<circle cx="{x:.2}" cy="{y:.2}" r="3" fill="{colour}"><title>{period}: mean tone {tone:+.3} over {n_articles} articles</title></circle>"#,
            x = x_of(idx),
            y = y_of(*tone),
            colour = PALETTE[3],
            period = escape(period),
        );
    }
    let labels: Vec<(String, u64)> = periods
        .iter()
        .map(|(period, _, n)| (period.clone(), *n))
        .collect();
    period_labels(&mut svg, &labels, left, step, height - 8.0);
    svg.push_str("</svg>");
    svg
}

fn open_svg(title: &str, width: f64, height: f64) -> String {
    format!(
        r#"<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{title}"><title>{title}</title>"#,
        title = escape(title),
    )
}

fn empty_chart(title: &str, message: &str) -> String {
    let mut svg = open_svg(title, 460.0, 60.0);
    let _ = write!(
        svg,
        r##"<text x="230" y="35" text-anchor="middle" fill="#777">{}</text></svg>"##,
        escape(message)
    );
    svg
}

fn axis_labels(svg: &mut String, left: f64, top: f64, plot_height: f64, high: &str, low: &str) {
    let _ = write!(
        svg,
        r##"<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" stroke="#bbb"/><text x="{x}" y="{ty}" text-anchor="end" class="axis">{high}</text><text x="{x}" y="{by}" text-anchor="end" class="axis">{low}</text>"##,
        bottom = top + plot_height,
        x = left - 4.0,
        ty = top + 9.0,
        by = top + plot_height,
        high = escape(high),
        low = escape(low),
    );
}

/// The first, middle and last period under the x axis.
fn period_labels(svg: &mut String, periods: &[(String, u64)], left: f64, step: f64, y: f64) {
    let last = periods.len() - 1;
    let mut shown = vec![0, last / 2, last];
    shown.dedup();
    for idx in shown {
        let anchor = if idx == 0 && last > 0 {
            "start"
        } else if idx == last && last > 0 {
            "end"
        } else {
            "middle"
        };
        let x = if anchor == "start" {
            left + step * idx as f64
        } else if anchor == "end" {
            left + step * (idx as f64 + 1.0)
        } else {
            left + step * (idx as f64 + 0.5)
        };
        let _ = write!(
            svg,
            r#"<text x="{x:.2}" y="{y}" text-anchor="{anchor}" class="axis">{}</text>"#,
            escape(&periods[idx].0)
        );
    }
}

fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut short: String = text.chars().take(max_chars - 1).collect();
    short.push('…');
    short
}

/// How dates are grouped on the time axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Day,
    Week,
    Month,
}

impl Period {
    /// Days for up to two months, ISO weeks (named by their Monday) for up to two years,
    /// months beyond.
    pub fn for_range(first: &str, last: &str) -> Period {
        match days_since_epoch(last).zip(days_since_epoch(first)) {
            Some((last, first)) if last - first <= 62 => Period::Day,
            Some((last, first)) if last - first <= 2 * 366 => Period::Week,
            _ => Period::Month,
        }
    }

    /// The period a date falls in, as a label that sorts in time order.
    pub fn of(self, date: &str) -> String {
        match self {
            Period::Day => date.to_string(),
            Period::Month => date.get(..7).unwrap_or(date).to_string(),
            Period::Week => match days_since_epoch(date) {
                // 1970-01-01 was a Thursday: Monday is 3 days before it.
                Some(days) => date_of(days - (days + 3).rem_euclid(7)),
                None => date.to_string(),
            },
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Period::Day => "day",
            Period::Week => "week (from Monday)",
            Period::Month => "month",
        }
    }
}

/// True for `YYYY-MM-DD` with plausible digits.
pub fn is_date(text: &str) -> bool {
    days_since_epoch(text).is_some()
}

/// Days from 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_since_epoch(date: &str) -> Option<i64> {
    let bytes = date.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i64 = date[0..4].parse().ok()?;
    let month: i64 = date[5..7].parse().ok()?;
    let day: i64 = date[8..10].parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// The ISO date of a day number (Hinnant's `civil_from_days`).
fn date_of(days: i64) -> String {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        // 2022-04-26 was a Tuesday.
        assert_eq!(Period::Week.of("2022-04-26"), "2022-04-25");
        assert_eq!(Period::Week.of("2022-04-25"), "2022-04-25");
        assert_eq!(Period::Week.of("2022-05-01"), "2022-04-25");
        assert_eq!(Period::Month.of("2022-04-26"), "2022-04");
    }

    #[test]
    fn dates_round_trip() {
        for date in ["1970-01-01", "2000-02-29", "2019-01-04", "1969-12-31"] {
            assert_eq!(days_since_epoch(date).map(date_of).as_deref(), Some(date));
        }
        assert!(!is_date("2022-13-01"));
    }
}
