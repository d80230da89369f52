//! Turning search results into the scenario × method table, the verdicts and report files.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::markers::{Marker, MarkerKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    RawUtf8,
    RawUtf16Le,
    RawNoCase,
    Photorec,
    Tsk,
    Ext4magic,
    Sqlite,
    Examiner,
    Outside,
}

impl Method {
    pub const ALL: [Method; 9] = [
        Method::RawUtf8,
        Method::RawUtf16Le,
        Method::RawNoCase,
        Method::Photorec,
        Method::Tsk,
        Method::Ext4magic,
        Method::Sqlite,
        Method::Examiner,
        Method::Outside,
    ];
    pub const DISK: [Method; 7] = [
        Method::RawUtf8,
        Method::RawUtf16Le,
        Method::RawNoCase,
        Method::Photorec,
        Method::Tsk,
        Method::Ext4magic,
        Method::Sqlite,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Method::RawUtf8 => "raw-utf8",
            Method::RawUtf16Le => "raw-utf16le",
            Method::RawNoCase => "raw-nocase",
            Method::Photorec => "photorec",
            Method::Tsk => "tsk",
            Method::Ext4magic => "ext4magic",
            Method::Sqlite => "sqlite",
            Method::Examiner => "lethe-exam",
            Method::Outside => "outside",
        }
    }
}

/// What a row must show.
#[derive(Clone, Debug)]
pub enum Expect {
    /// lethe row: no method may recover any marker.
    Nothing,
    /// Positive control: together the methods recover >= 90%, and so does each method in
    /// `each` (methods that should see all of it); each method in `some` recovers >= 25% (it
    /// sees only part of this data, but must show that its tool chain works).
    Caught { each: Vec<Method>, some: Vec<Method> },
    /// Examiner check: the examiner's lethe recovers >= 90% (it opened the compartment), and
    /// every other method recovers nothing.
    ExaminerSees,
    /// Counted and printed, not judged: a known limit (names after `--shred-source` alone,
    /// btrfs), so that the report shows where it stands.
    Report,
}

pub struct Row {
    pub name: String,
    pub markers: BTreeSet<usize>,
    /// Image and examiner labels whose results count for this row.
    pub labels: Vec<String>,
    pub methods: Vec<Method>,
    pub expect: Expect,
}

/// label -> method -> markers found.
pub type Results = BTreeMap<String, BTreeMap<Method, BTreeSet<usize>>>;

pub struct Evaluated {
    pub cells: Vec<Option<usize>>,
    pub union: usize,
    /// Markers found by a method that must find nothing.
    pub leaked: BTreeMap<usize, BTreeSet<Method>>,
    /// A positive control or examiner check that did not reach 90%: the reason.
    pub weak: Option<String>,
}

impl Row {
    pub fn found(&self, results: &Results, method: Method) -> BTreeSet<usize> {
        let mut found = BTreeSet::new();
        for label in &self.labels {
            if let Some(set) = results.get(label).and_then(|m| m.get(&method)) {
                found.extend(set.intersection(&self.markers));
            }
        }
        found
    }

    pub fn evaluate(&self, results: &Results) -> Evaluated {
        let total = self.markers.len();
        let enough = |n: usize| total > 0 && n * 10 >= total * 9;
        let mut cells = Vec::new();
        let mut union: BTreeSet<usize> = BTreeSet::new();
        let mut leaked: BTreeMap<usize, BTreeSet<Method>> = BTreeMap::new();
        let mut weak = None;
        for method in Method::ALL {
            if !self.methods.contains(&method) {
                cells.push(None);
                continue;
            }
            let found = self.found(results, method);
            cells.push(Some(found.len()));
            union.extend(&found);
            let must_be_empty = match &self.expect {
                Expect::Nothing => true,
                Expect::ExaminerSees => method != Method::Examiner,
                Expect::Caught { .. } | Expect::Report => false,
            };
            if must_be_empty {
                for marker in &found {
                    leaked.entry(*marker).or_default().insert(method);
                }
            }
            let must_catch = match &self.expect {
                Expect::Caught { each, .. } => each.contains(&method),
                Expect::ExaminerSees => method == Method::Examiner,
                Expect::Nothing | Expect::Report => false,
            };
            if must_catch && !enough(found.len()) && weak.is_none() {
                weak = Some(format!("{} recovered only {}/{total}", method.name(), found.len()));
            }
            let must_work = matches!(&self.expect, Expect::Caught { some, .. } if some.contains(&method));
            if must_work && found.len() * 4 < total && weak.is_none() {
                weak = Some(format!("{} recovered only {}/{total} (< 25%)", method.name(), found.len()));
            }
        }
        if matches!(self.expect, Expect::Caught { .. }) && !enough(union.len()) && weak.is_none() {
            weak = Some(format!("all methods together recovered only {}/{total}", union.len()));
        }
        Evaluated { cells, union: union.len(), leaked, weak }
    }
}

pub fn table(rows: &[Row], evaluated: &[Evaluated], verdicts: &[String]) -> String {
    let name_width = rows.iter().map(|r| r.name.chars().count()).max().unwrap_or(10).max(8);
    let mut out = String::new();
    let _ = write!(out, "{:<name_width$}", "scenario (markers)");
    for method in Method::ALL {
        let _ = write!(out, " {:>11}", method.name());
    }
    let _ = writeln!(out, " {:>9}  verdict", "any");
    for ((row, eval), verdict) in rows.iter().zip(evaluated).zip(verdicts) {
        let total = row.markers.len();
        let _ = write!(out, "{:<name_width$}", row.name);
        for cell in &eval.cells {
            match cell {
                Some(n) => {
                    let _ = write!(out, " {:>11}", format!("{n}/{total}"));
                }
                None => {
                    let _ = write!(out, " {:>11}", "-");
                }
            }
        }
        let _ = writeln!(out, " {:>9}  {verdict}", format!("{}/{total}", eval.union));
    }
    out
}

/// Minimal JSON string escaping (the report is written without a serialisation library).
pub fn json_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn describe_marker(marker: &Marker) -> String {
    format!("{}/{} {} {}", marker.group, marker.item, marker.kind.name(), marker.script.name())
}

/// Marker indices of one group and kind.
pub fn select(markers: &[Marker], group: Option<&str>, kinds: &[MarkerKind]) -> BTreeSet<usize> {
    markers
        .iter()
        .enumerate()
        .filter(|(_, m)| group.is_none_or(|g| m.group == g) && kinds.contains(&m.kind))
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(label: &str, method: Method, found: &[usize]) -> Results {
        let mut r = Results::new();
        r.entry(label.into()).or_default().insert(method, found.iter().copied().collect());
        r
    }

    #[test]
    fn a_single_marker_makes_a_lethe_row_leak() {
        let row = Row {
            name: "x".into(),
            markers: (0..10).collect(),
            labels: vec!["img".into()],
            methods: Method::DISK.to_vec(),
            expect: Expect::Nothing,
        };
        assert!(row.evaluate(&results("img", Method::Tsk, &[])).leaked.is_empty());
        let eval = row.evaluate(&results("img", Method::Tsk, &[3, 42]));
        assert_eq!(eval.leaked.keys().copied().collect::<Vec<_>>(), vec![3], "42 is not this row's");
        // Results of another image do not count for this row.
        assert!(row.evaluate(&results("other", Method::Tsk, &[3])).leaked.is_empty());
    }

    #[test]
    fn controls_need_ninety_percent_per_listed_method() {
        let row = Row {
            name: "c".into(),
            markers: (0..10).collect(),
            labels: vec!["img".into()],
            methods: Method::DISK.to_vec(),
            expect: Expect::Caught { each: vec![Method::RawUtf8], some: vec![Method::Sqlite] },
        };
        let mut r = results("img", Method::RawUtf8, &[0, 1, 2, 3, 4, 5, 6, 7, 8]);
        r.get_mut("img").unwrap().insert(Method::Sqlite, BTreeSet::from([1, 2, 3]));
        assert!(row.evaluate(&r).weak.is_none());
        r.get_mut("img").unwrap().insert(Method::Sqlite, BTreeSet::from([1, 2]));
        assert!(row.evaluate(&r).weak.is_some(), "sqlite below 25%");
        r.get_mut("img").unwrap().insert(Method::Sqlite, BTreeSet::from([1, 2, 3]));
        r.get_mut("img").unwrap().insert(Method::RawUtf8, (0..8).collect());
        assert!(row.evaluate(&r).weak.is_some(), "raw-utf8 below 90%");
        assert!(row.evaluate(&results("img", Method::Photorec, &(0..10).collect::<Vec<_>>())).weak.is_some());
    }

    #[test]
    fn examiner_rows_need_the_examiner_and_nothing_else() {
        let row = Row {
            name: "e".into(),
            markers: (0..4).collect(),
            labels: vec!["img".into(), "exam".into()],
            methods: Method::ALL.to_vec(),
            expect: Expect::ExaminerSees,
        };
        let mut r = results("exam", Method::Examiner, &[0, 1, 2, 3]);
        let eval = row.evaluate(&r);
        assert!(eval.weak.is_none() && eval.leaked.is_empty());
        r.entry("img".into()).or_default().insert(Method::RawUtf8, BTreeSet::from([1]));
        assert_eq!(row.evaluate(&r).leaked.len(), 1);
        assert!(row.evaluate(&Results::new()).weak.is_some());
    }

    #[test]
    fn json_escapes() {
        assert_eq!(json_string("a\"b\\c\nd\u{1}é"), "\"a\\\"b\\\\c\\nd\\u0001é\"");
    }
}
