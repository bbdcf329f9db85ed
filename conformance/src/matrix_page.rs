//! `docs/matrix.html`: the results matrix ([`Matrices`]) as one static page, written with
//! `docs/matrix.md` by [`crate::matrix::write`]. One section per protocol version, one row per
//! vector, one column per implementation, one colour per cell status (the statuses the
//! Markdown shows: pass, fail, crash, timeout, skip); rows grouped by vector file (the packet
//! type) and, within a file, by the first clause a vector exercises. A cell's title holds the
//! vector's expectation (verdict and clauses) and what the implementation answered (the
//! cell's note); a click shows the same in a panel. Inline CSS and JavaScript only: no build
//! step, nothing fetched.
//!
//! The page is rendered here, not by its script, so it reads the same without JavaScript; the
//! script only shows the clicked cell's details and counts each column's passes into its
//! heading (which the browser test, `conformance/tests/matrix_page.rs`, compares with the
//! JSON, so that a page whose script does not run is caught). [`read_dom`] reads the page back
//! from the DOM a browser serialises.

use std::fmt::Write;

use crate::matrix::{Cell, Matrices, Matrix, Status};
use crate::suite::Protocol;

/// The statuses in the legend's order, with the class, the short mark shown in the cell and
/// the colour.
const STATUSES: [(Status, &str, &str, &str); 5] = [
    (Status::Pass, "pass", "ok", "#2e9d4f"),
    (Status::Fail, "fail", "F", "#d93b3b"),
    (Status::Crash, "crash", "C", "#7a1fa2"),
    (Status::Timeout, "timeout", "T", "#e08a00"),
    (Status::Skip, "skip", "-", "#b8b8b8"),
];

fn status_info(status: Status) -> (&'static str, &'static str) {
    STATUSES
        .iter()
        .find(|(s, ..)| *s == status)
        .map_or(("skip", "-"), |(_, class, mark, _)| (class, mark))
}

/// Text as the page shows it: the control characters a browser would not keep (HTML turns
/// U+0000 into U+FFFD and a carriage return into a line feed, and shows none of them) written
/// as `\x00`; line feeds and tabs stay.
pub fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if (c.is_control() && c != '\n' && c != '\t') || c == '\u{fffd}' {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// Escapes text for an HTML element's content or a double-quoted attribute (after
/// [`visible`]).
pub fn escape(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
    out
}

/// Sorts `MQTT-3.10.3-1` after `MQTT-3.9.3-1`, and sections (`2.2.3`) with their statements.
fn clause_order(clause: &str) -> Vec<u32> {
    clause
        .trim_start_matches("MQTT-")
        .split(['.', '-'])
        .map(|n| n.parse().unwrap_or(u32::MAX))
        .collect()
}

/// The expectation shown for a vector: its verdict and clauses.
fn expectation(verdict: &str, clauses: &[String]) -> String {
    if clauses.is_empty() {
        verdict.to_owned()
    } else {
        format!("{verdict} ({})", clauses.join(", "))
    }
}

/// What a cell's title says: the expectation, then the implementation's answer.
fn cell_title(expected: &str, implementation: &str, cell: &Cell) -> String {
    let (class, _) = status_info(cell.status);
    match &cell.note {
        Some(note) => format!("expected: {expected}\n{implementation}: {class}: {note}"),
        None => format!("expected: {expected}\n{implementation}: {class}"),
    }
}

const STYLE: &str = "
body { font: 14px/1.4 system-ui, sans-serif; margin: 1em; color: #222; }
h1 { font-size: 1.5em; } h2 { margin-top: 1.5em; }
.legend span.c { display: inline-block; min-width: 3.5em; text-align: center; margin-right: .5em; }
table.matrix { border-collapse: collapse; }
table.matrix th, table.matrix td { border: 1px solid #fff; padding: 1px 4px; }
table.matrix thead th { position: sticky; top: 0; background: #eee; font-weight: normal; vertical-align: bottom; }
th.id { text-align: left; font-weight: normal; font-family: ui-monospace, monospace; font-size: 12px; white-space: nowrap; }
tr.group th { text-align: left; background: #dde; padding-top: .6em; }
tr.clause th { text-align: left; background: #f4f4f8; font-weight: normal; font-style: italic; }
td.verdict { font-size: 12px; color: #555; }
td.c, span.c { color: #fff; text-align: center; font-size: 11px; cursor: pointer; min-width: 2.5em; }
.s-pass { background: #2e9d4f; } .s-fail { background: #d93b3b; } .s-crash { background: #7a1fa2; }
.s-timeout { background: #e08a00; } .s-skip { background: #b8b8b8; }
td.c.selected { outline: 3px solid #000; }
#details { position: fixed; right: 1em; bottom: 1em; max-width: 40em; background: #fffbe6;
  border: 1px solid #cc9; padding: .6em; white-space: pre-wrap; font-size: 12px; display: none; }
";

const SCRIPT: &str = "
(function () {
  // Each column's passes of the vectors it ran, counted from the cells, into its heading.
  document.querySelectorAll('section.protocol').forEach(function (section) {
    section.querySelectorAll('thead th.impl').forEach(function (th) {
      var column = th.getAttribute('data-column');
      var cells = section.querySelectorAll('tbody td.c[data-column=\"' + column + '\"]');
      var pass = 0, run = 0;
      cells.forEach(function (td) {
        if (td.classList.contains('s-pass')) pass += 1;
        if (!td.classList.contains('s-skip')) run += 1;
      });
      var count = th.querySelector('.count');
      count.textContent = pass + '/' + run + ' passed';
      count.setAttribute('data-pass', String(pass));
    });
  });
  // A click on a cell shows its title in full (as text, never as markup).
  var details = document.getElementById('details');
  var selected = null;
  document.addEventListener('click', function (event) {
    var td = event.target.closest('td.c');
    if (!td) { details.style.display = 'none'; return; }
    if (selected) selected.classList.remove('selected');
    selected = td;
    td.classList.add('selected');
    var row = td.parentElement;
    details.textContent = row.getAttribute('data-id') + '\\n' + td.getAttribute('title');
    details.style.display = 'block';
  });
})();
";

/// The whole page.
pub fn html(all: &Matrices) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<title>MQTT golden vectors: the results matrix</title>\n");
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    out.push_str("<h1>MQTT golden vectors against other implementations</h1>\n");
    out.push_str(
        "<p>Written by <code>cargo xtask matrix</code> from <code>docs/matrix.json</code>, \
         with <code>docs/matrix.md</code>. One row per vector, one column per implementation. \
         Hover over a cell for the expectation and the implementation's answer; click it to \
         keep them on screen.</p>\n<p class=\"legend\">",
    );
    for (_, class, mark, _) in STATUSES {
        let _ = write!(
            out,
            "<span class=\"c s-{class}\">{mark}</span>{class} &nbsp; "
        );
    }
    out.push_str("</p>\n");
    for protocol in Protocol::ALL {
        if let Some(matrix) = all.get(protocol) {
            section(&mut out, protocol, matrix);
        }
    }
    out.push_str("<div id=\"details\"></div>\n");
    let _ = writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>");
    out
}

fn section(out: &mut String, protocol: Protocol, matrix: &Matrix) {
    let version = protocol.as_str();
    let _ = writeln!(
        out,
        "<section class=\"protocol\" id=\"mqtt-{version}\" data-protocol=\"{version}\">\n\
         <h2>MQTT {version}</h2>\n<table class=\"matrix\">\n<thead><tr><th>vector</th><th>verdict</th>"
    );
    for (column, imp) in matrix.implementations.iter().enumerate() {
        let _ = write!(
            out,
            "<th class=\"impl\" data-column=\"{column}\" data-name=\"{}\" data-version=\"{}\">{}<br><small>{}</small><br><span class=\"count\"></span></th>",
            escape(&imp.name),
            escape(&imp.version),
            escape(&imp.name),
            escape(&imp.version)
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let width = matrix.implementations.len() + 2;
    // Files in their first appearance's order; within a file, rows by their first clause.
    let mut files: Vec<&str> = Vec::new();
    for row in &matrix.vectors {
        if !files.contains(&row.file.as_str()) {
            files.push(&row.file);
        }
    }
    for file in files {
        let _ = writeln!(
            out,
            "<tr class=\"group\"><th colspan=\"{width}\">{}</th></tr>",
            escape(file)
        );
        let mut rows: Vec<_> = matrix.vectors.iter().filter(|r| r.file == file).collect();
        let first_clause = |r: &&crate::matrix::Row| r.clauses.first().cloned().unwrap_or_default();
        rows.sort_by_key(|r| clause_order(&first_clause(r)));
        let mut current: Option<String> = None;
        for row in rows {
            let clause = first_clause(&row);
            if current.as_ref() != Some(&clause) {
                let label = if clause.is_empty() {
                    "(no clause)"
                } else {
                    &clause
                };
                let _ = writeln!(
                    out,
                    "<tr class=\"clause\"><th colspan=\"{width}\">{}</th></tr>",
                    escape(label)
                );
                current = Some(clause);
            }
            let expected = expectation(&row.verdict, &row.clauses);
            let _ = write!(
                out,
                "<tr class=\"vector\" data-id=\"{}\" data-verdict=\"{}\"><th class=\"id\" title=\"{}\">{}</th><td class=\"verdict\">{}</td>",
                escape(&row.id),
                escape(&row.verdict),
                escape(&format!("expected: {expected}")),
                escape(&row.id),
                escape(&row.verdict)
            );
            for (column, (cell, imp)) in row.cells.iter().zip(&matrix.implementations).enumerate() {
                let (class, mark) = status_info(cell.status);
                let _ = write!(
                    out,
                    "<td class=\"c s-{class}\" data-column=\"{column}\" title=\"{}\">{mark}</td>",
                    escape(&cell_title(&expected, &imp.name, cell))
                );
            }
            out.push_str("</tr>\n");
        }
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// One vector's row as a browser shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownRow {
    /// The vector's id (`data-id`).
    pub id: String,
    /// Each cell: its status class (`s-pass` gives `pass`), its text and its title.
    pub cells: Vec<(String, String, String)>,
}

/// One protocol version's section as a browser shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShownSection {
    /// `data-protocol`.
    pub protocol: String,
    /// The column headings: name, version and the pass count the page's script wrote
    /// (`None` when the script did not run).
    pub columns: Vec<(String, String, Option<usize>)>,
    /// The vector rows, in the page's order.
    pub rows: Vec<ShownRow>,
}

/// The value of attribute `name` in a start tag's text (`<td class="c" title="...">`), with
/// the entities a browser writes when it serialises (`&amp;`, `&lt;`, `&gt;`, `&quot;`,
/// `&nbsp;`, numeric ones) decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => entity
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Start tags named `name` in `html`, each with the text up to the next tag's start.
fn elements<'a>(html: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let open = format!("<{name}");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        let after = &rest[at + open.len()..];
        if !after.starts_with([' ', '>']) {
            rest = after;
            continue;
        }
        let Some(close) = after.find('>') else { break };
        let tag = &after[..close];
        let body = &after[close + 1..];
        let text_end = body.find('<').unwrap_or(body.len());
        found.push((tag, &body[..text_end]));
        rest = body;
    }
    found
}

/// Reads the sections, columns and cells back from the DOM a browser serialised
/// (`chromium --headless --dump-dom`). It reads attributes and text as a browser writes them:
/// every attribute double-quoted, `<`, `>` and `&` as entities in text, `&` and `"` in
/// attributes.
pub fn read_dom(dom: &str) -> Vec<ShownSection> {
    let mut sections = Vec::new();
    for part in dom.split("<section").skip(1) {
        let part = part.split("</section>").next().unwrap_or(part);
        let head = format!(" {}", &part[..part.find('>').unwrap_or(0)]);
        let mut section = ShownSection {
            protocol: attribute(&head, "data-protocol").unwrap_or_default(),
            ..ShownSection::default()
        };
        for (tag, _) in elements(part, "th") {
            let tag = format!(" {tag}");
            if attribute(&tag, "class").as_deref() == Some("impl") {
                section.columns.push((
                    attribute(&tag, "data-name").unwrap_or_default(),
                    attribute(&tag, "data-version").unwrap_or_default(),
                    None,
                ));
            }
        }
        let mut counts = Vec::new();
        for (tag, _) in elements(part, "span") {
            let tag = format!(" {tag}");
            if attribute(&tag, "class").as_deref() == Some("count") {
                counts.push(attribute(&tag, "data-pass").and_then(|p| p.parse().ok()));
            }
        }
        for (column, count) in section.columns.iter_mut().zip(counts) {
            column.2 = count;
        }
        for row in part.split("<tr").skip(1) {
            let tag = format!(" {}", &row[..row.find('>').unwrap_or(0)]);
            if attribute(&tag, "class").as_deref() != Some("vector") {
                continue;
            }
            let row = row.split("</tr>").next().unwrap_or(row);
            let cells = elements(row, "td")
                .into_iter()
                .filter_map(|(tag, text)| {
                    let tag = format!(" {tag}");
                    let class = attribute(&tag, "class")?;
                    let mut classes = class.split_whitespace();
                    if classes.next() != Some("c") {
                        return None;
                    }
                    let status = classes
                        .find_map(|c| c.strip_prefix("s-"))
                        .unwrap_or("")
                        .to_owned();
                    Some((
                        status,
                        unescape(text),
                        attribute(&tag, "title").unwrap_or_default(),
                    ))
                })
                .collect();
            section.rows.push(ShownRow {
                id: attribute(&tag, "data-id").unwrap_or_default(),
                cells,
            });
        }
        sections.push(section);
    }
    sections
}

/// Compares what a browser shows ([`read_dom`]) with the matrices: a section per version,
/// every implementation a column (name, version, and the pass count the script wrote), every
/// vector a row, each cell the status, mark and title of the JSON's cell. Returns every
/// difference (empty when they agree).
pub fn compare_shown(shown: &[ShownSection], all: &Matrices) -> Vec<String> {
    let mut problems = Vec::new();
    let expected: Vec<(Protocol, &Matrix)> = Protocol::ALL
        .iter()
        .filter_map(|p| all.get(*p).map(|m| (*p, m)))
        .collect();
    if shown.len() != expected.len() {
        problems.push(format!(
            "{} sections shown, {} versions in the JSON",
            shown.len(),
            expected.len()
        ));
    }
    for (protocol, matrix) in expected {
        let version = protocol.as_str();
        let Some(section) = shown.iter().find(|s| s.protocol == version) else {
            problems.push(format!("no section for MQTT {version}"));
            continue;
        };
        let names: Vec<(String, String)> = matrix
            .implementations
            .iter()
            .map(|i| (i.name.clone(), i.version.clone()))
            .collect();
        let shown_names: Vec<(String, String)> = section
            .columns
            .iter()
            .map(|(n, v, _)| (n.clone(), v.clone()))
            .collect();
        if names != shown_names {
            problems.push(format!(
                "{version}: columns {shown_names:?}, expected {names:?}"
            ));
        }
        for ((name, _, count), imp) in section.columns.iter().zip(&matrix.implementations) {
            if *count != Some(imp.counts.pass) {
                problems.push(format!(
                    "{version}: {name}: the page counts {count:?} passes, the JSON {}",
                    imp.counts.pass
                ));
            }
        }
        if section.rows.len() != matrix.vectors.len() {
            problems.push(format!(
                "{version}: {} rows shown, {} vectors in the JSON",
                section.rows.len(),
                matrix.vectors.len()
            ));
        }
        for row in &matrix.vectors {
            let found: Vec<&ShownRow> = section.rows.iter().filter(|r| r.id == row.id).collect();
            let [shown_row] = found[..] else {
                problems.push(format!("{version}: {} shown {} times", row.id, found.len()));
                continue;
            };
            if shown_row.cells.len() != row.cells.len() {
                problems.push(format!(
                    "{version} {}: {} cells shown, {} in the JSON",
                    row.id,
                    shown_row.cells.len(),
                    row.cells.len()
                ));
            }
            let expected_text = expectation(&row.verdict, &row.clauses);
            for ((status, text, title), (cell, imp)) in shown_row
                .cells
                .iter()
                .zip(row.cells.iter().zip(&matrix.implementations))
            {
                // The class the JSON names (its own spelling of the status), not the generator's.
                let class = serde_json::to_value(cell.status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let (_, mark) = status_info(cell.status);
                let want_title = visible(&cell_title(&expected_text, &imp.name, cell));
                if *status != class || text != mark || *title != want_title {
                    problems.push(format!(
                        "{version} {} {}: shows {status} {text:?} {title:?}, the JSON says {class} {want_title:?}",
                        row.id, imp.name
                    ));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matrix::{Counts, Row, Summary};
    use std::collections::BTreeMap;

    fn summary(name: &str, pass: usize) -> Summary {
        Summary {
            name: name.into(),
            version: "1.0 <b>".into(),
            counts: Counts {
                pass,
                ..Counts::default()
            },
            by_verdict: BTreeMap::new(),
            by_clause: BTreeMap::new(),
            early_rejection: None,
        }
    }

    fn row(id: &str, file: &str, clause: &str, cells: Vec<Cell>) -> Row {
        Row {
            id: id.into(),
            file: file.into(),
            verdict: "invalid".into(),
            clauses: vec![clause.into()],
            cells,
        }
    }

    fn cell(status: Status, note: Option<&str>) -> Cell {
        Cell {
            status,
            note: note.map(str::to_owned),
        }
    }

    const HOSTILE: &str = "refused: <script>alert(\"x\")</script> & 'more' a\u{0}b\r";

    fn sample() -> Matrices {
        let mut all = Matrices::default();
        all.set(
            Protocol::V311,
            Matrix {
                format_version: 1,
                implementations: vec![summary("mqtt-wire", 2), summary("peer <i>", 0)],
                vectors: vec![
                    row(
                        "b-later",
                        "publish",
                        "MQTT-3.3.2-2",
                        vec![cell(Status::Pass, None), cell(Status::Crash, Some(HOSTILE))],
                    ),
                    row(
                        "a-first",
                        "publish",
                        "MQTT-3.3.1-4",
                        vec![cell(Status::Pass, None), cell(Status::Fail, Some("x"))],
                    ),
                    row(
                        "c-ping",
                        "ping",
                        "MQTT-3.12.4-1",
                        vec![cell(Status::Skip, None), cell(Status::Timeout, None)],
                    ),
                ],
            },
        );
        all.set(
            Protocol::V5,
            Matrix {
                format_version: 1,
                implementations: vec![summary("mqtt-wire", 1)],
                vectors: vec![row("v5-x", "auth", "3.15", vec![cell(Status::Pass, None)])],
            },
        );
        all
    }

    #[test]
    fn the_page_has_a_section_per_version_a_row_per_vector_and_a_column_per_implementation() {
        let page = html(&sample());
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert_eq!(page.matches("<section class=\"protocol\"").count(), 2);
        assert_eq!(page.matches("<tr class=\"vector\"").count(), 4);
        assert_eq!(page.matches("<th class=\"impl\"").count(), 3);
        assert_eq!(page.matches("<td class=\"c ").count(), 7);
        for class in ["s-pass", "s-fail", "s-crash", "s-timeout", "s-skip"] {
            assert!(
                page.contains(&format!("<td class=\"c {class}\"")),
                "{class}"
            );
        }
        // Grouped by file, then by clause: a-first (3.3.1) before b-later (3.3.2).
        let at = |needle: &str| page.find(needle).unwrap();
        assert!(at("data-id=\"a-first\"") < at("data-id=\"b-later\""));
        assert!(at(">publish</th>") < at(">MQTT-3.3.1-4</th>"));
        assert!(at(">MQTT-3.3.2-2</th>") < at(">ping</th>"));
        // No network, no external file.
        assert!(!page.contains("src=") && !page.contains("href="));
    }

    #[test]
    fn an_answer_with_markup_shows_as_text() {
        let page = html(&sample());
        assert!(!page.contains("<script>alert"));
        assert!(!page.contains("<i>") && !page.contains("<b>"));
        assert!(page.contains(
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;more&#39; a\\x00b\\x0d"
        ));
        // The only script is the page's own.
        assert_eq!(page.matches("<script>").count(), 1);
        // Read back, the title is the answer, unchanged but for the control characters, which
        // are written out.
        let shown = read_dom(&page);
        let title = &shown[0].rows[1].cells[1].2;
        assert!(
            title.ends_with(&format!("peer <i>: crash: {}", visible(HOSTILE))),
            "{title}"
        );
        assert!(title.ends_with("'more' a\\x00b\\x0d"), "{title}");
    }

    /// The page as written, with the counts a browser's run of the script would add.
    fn as_browser_shows(page: &str, counts: &[usize]) -> String {
        let mut out = String::new();
        let mut counts = counts.iter();
        for (i, part) in page.split("<span class=\"count\"></span>").enumerate() {
            if i > 0 {
                let n = counts.next().unwrap();
                let _ = write!(out, "<span class=\"count\" data-pass=\"{n}\">{n}</span>");
            }
            out.push_str(part);
        }
        out
    }

    #[test]
    fn the_page_read_back_agrees_with_its_matrices() {
        let all = sample();
        let dom = as_browser_shows(&html(&all), &[2, 0, 1]);
        assert_eq!(compare_shown(&read_dom(&dom), &all), Vec::<String>::new());
    }

    #[test]
    fn a_changed_cell_a_missing_row_or_a_script_that_did_not_run_is_caught() {
        let all = sample();
        let dom = as_browser_shows(&html(&all), &[2, 0, 1]);
        let changed = dom.replacen("<td class=\"c s-crash\"", "<td class=\"c s-pass\"", 1);
        let problems = compare_shown(&read_dom(&changed), &all);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("b-later peer <i>: shows pass"),
            "{problems:?}"
        );

        let start = dom.find("<tr class=\"vector\" data-id=\"c-ping\"").unwrap();
        let end = start + dom[start..].find("</tr>").unwrap() + 5;
        let missing = format!("{}{}", &dom[..start], &dom[end..]);
        let problems = compare_shown(&read_dom(&missing), &all);
        assert!(
            problems
                .iter()
                .any(|p| p.contains("2 rows shown, 3 vectors")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("c-ping shown 0 times")),
            "{problems:?}"
        );

        let unscripted = compare_shown(&read_dom(&html(&all)), &all);
        assert_eq!(unscripted.len(), 3, "{unscripted:?}");
    }
}
