//! Section "Data quality and privacy" of the quarterly review (core module `quality`).
//!
//! Reads the survey file itself (the shared `Survey` struct carries neither customer ids, e-mail domains,
//! completion times nor the answer grid), applies the rule file `core/examples/data/validation_rules.toml`
//! and prints the data-quality account: rows read, rows that could not be parsed (by reason), and for each
//! rule the rows it excluded first and the rows that failed it. Then a grouped output with a minimum group
//! size: responses by team x segment in 2025-Q4 with cells under 30 suppressed and complementary cells
//! hidden so that no suppressed count follows from a row or column total.
//!
//! Wire-up in main.rs: `mod quality;` and `quality::section(&path)?;`.

use cxkpi::quality::{
    suppress_two_way, validate, CellStatus, Column, ResponseTable, RuleSet, SuppressionOptions,
};

const RULES: &str = include_str!("../data/validation_rules.toml");

fn day_of(date: &str) -> Option<f64> {
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    Some(d.and_hms_opt(0, 0, 0)?.and_utc().timestamp() as f64)
}

fn num(field: &str) -> Option<f64> {
    if field.is_empty() {
        Some(f64::NAN)
    } else {
        field.parse().ok()
    }
}

pub(crate) fn section(path: &str) -> cxkpi::Result<()> {
    println!(
        "\n== Data quality: exclusions by rule (rules core/examples/data/validation_rules.toml) =="
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let num_names = [
        "nps",
        "csat",
        "ces",
        "completion_seconds",
        "q1",
        "q2",
        "q3",
        "q4",
        "q5",
    ];
    let num_idx: Vec<usize> = num_names.iter().map(|n| col(n)).collect();
    let (c_date, c_cust, c_mail, c_sent, c_team, c_seg) = (
        col("date"),
        col("customer_id"),
        col("email_domain"),
        col("sentiment"),
        col("team"),
        col("segment"),
    );
    let mut nums: Vec<Vec<f64>> = vec![Vec::new(); num_names.len()];
    let (mut date, mut sentiment) = (Vec::new(), Vec::new());
    let (mut customer, mut email, mut team, mut segment, mut quarter) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut read, mut bad_date, mut bad_label, mut bad_number) = (0usize, 0usize, 0usize, 0usize);
    for line in lines {
        read += 1;
        let f: Vec<&str> = line.split(',').collect();
        // Parsing, not validation: a row whose date or sentiment label cannot be read is counted here.
        let Some(day) = day_of(f[c_date]) else {
            bad_date += 1;
            continue;
        };
        let s = match f[c_sent] {
            "negative" => -1.0,
            "neutral" => 0.0,
            "positive" => 1.0,
            "" => f64::NAN,
            _ => {
                bad_label += 1;
                continue;
            }
        };
        let Some(vals) = num_idx
            .iter()
            .map(|&i| num(f[i]))
            .collect::<Option<Vec<f64>>>()
        else {
            bad_number += 1;
            continue;
        };
        for (c, v) in nums.iter_mut().zip(vals) {
            c.push(v);
        }
        date.push(day);
        sentiment.push(s);
        customer.push(f[c_cust].to_string());
        email.push(f[c_mail].to_string());
        team.push(f[c_team].to_string());
        segment.push(f[c_seg].to_string());
        quarter.push(f[c_date][..7].to_string());
    }
    let n = date.len();
    let mut table = ResponseTable::new(n);
    for (name, c) in num_names.iter().zip(&nums) {
        table.add(name, Column::Num(c))?;
    }
    table.add("date", Column::Num(&date))?;
    table.add("sentiment", Column::Num(&sentiment))?;
    table.add("customer_id", Column::Text(&customer))?;
    table.add("email_domain", Column::Text(&email))?;
    let rules = RuleSet::from_toml(RULES)?;
    let v = validate(&rules, &table)?;
    println!("rows read                       {read:>7}");
    println!("  not parseable: date           {bad_date:>7}");
    println!("  not parseable: sentiment      {bad_label:>7}");
    if bad_number > 0 {
        println!("  not parseable: number         {bad_number:>7}");
    }
    println!(
        "rows validated                  {n:>7}   (rule set {} v{})",
        rules.id.as_deref().unwrap_or("-"),
        rules.version.as_deref().unwrap_or("-")
    );
    println!("  {:<28} {:>9} {:>9}", "rule", "excluded", "failed");
    for t in &v.totals {
        println!("  {:<28} {:>9} {:>9}", t.rule, t.n_excluded, t.n_failed);
    }
    println!(
        "  {:<28} {:>9}\nrows kept                       {:>7}",
        "total excluded", v.n_excluded, v.n_kept
    );

    // Privacy: responses by team x segment in 2025-Q4 (kept rows), minimum group size 30.
    let q4 =
        |i: usize| v.keep[i] && matches!(quarter[i].as_str(), "2025-10" | "2025-11" | "2025-12");
    let mut teams: Vec<&str> = (0..n)
        .filter(|&i| q4(i))
        .map(|i| team[i].as_str())
        .collect();
    teams.sort_unstable();
    teams.dedup();
    let segs = ["Enterprise", "Mid-Market", "SMB", "Consumer"];
    let mut counts = vec![vec![0u64; segs.len()]; teams.len()];
    for i in (0..n).filter(|&i| q4(i)) {
        let r = teams.iter().position(|t| *t == team[i]).unwrap();
        if let Some(c) = segs.iter().position(|s| *s == segment[i]) {
            counts[r][c] += 1;
        }
    }
    let o = SuppressionOptions {
        min_group_size: 30,
        ..Default::default()
    };
    let s = suppress_two_way(&counts, &o)?;
    println!(
        "\n== Privacy: responses by team x segment, 2025-Q4, minimum group size {} ==",
        o.min_group_size
    );
    println!(
        "   (x = suppressed, under the minimum; c = complementary suppression; method {})",
        s.method
    );
    print!("  {:<11}", "team");
    for sg in &segs {
        print!(" {sg:>11}");
    }
    println!(" {:>11}", "total");
    let show = |n: u64, st: CellStatus| match st {
        CellStatus::Published => format!("{n}"),
        CellStatus::Primary => "x".into(),
        CellStatus::Complementary => "c".into(),
    };
    for (r, t) in teams.iter().enumerate() {
        print!("  {t:<11}");
        for c in 0..segs.len() {
            print!(" {:>11}", show(counts[r][c], s.cells[r][c]));
        }
        println!(" {:>11}", show(counts[r].iter().sum(), s.row_totals[r]));
    }
    print!("  {:<11}", "total");
    for c in 0..segs.len() {
        let tot: u64 = counts.iter().map(|row| row[c]).sum();
        print!(" {:>11}", show(tot, s.column_totals[c]));
    }
    let grand: u64 = counts.iter().flatten().sum();
    println!(" {:>11}", show(grand, s.grand_total.unwrap()));
    println!(
        "  {} cell(s) under the minimum, {} complementary cell(s) hidden",
        s.n_primary, s.n_complementary
    );
    Ok(())
}
