//! kubectl-like tables: upper-case headers, no borders, columns separated by three spaces.

use tabled::builder::Builder;
use tabled::settings::{Padding, Style};

/// Renders rows under headers. Every row must have as many cells as there are headers.
pub fn render<H: AsRef<str>>(headers: &[H], rows: &[Vec<String>]) -> String {
    let mut builder = Builder::default();
    builder.push_record(headers.iter().map(|h| h.as_ref().to_uppercase()));
    for row in rows {
        builder.push_record(row.iter().cloned());
    }
    let mut table = builder.build();
    table.with(Style::empty()).with(Padding::new(0, 3, 0, 0));
    let mut out = String::new();
    for line in table.to_string().lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_like_kubectl() {
        let text = render(
            &["name", "ready", "status"],
            &[
                vec!["productpage-v1-abc".into(), "2/2".into(), "Running".into()],
                vec!["ratings-v1-x".into(), "1/1".into(), "Running".into()],
            ],
        );
        assert_eq!(
            text,
            "NAME                 READY   STATUS\nproductpage-v1-abc   2/2     Running\nratings-v1-x         1/1     Running\n"
        );
    }

    #[test]
    fn headers_only_when_no_rows() {
        assert_eq!(render(&["a", "b"], &[]), "A   B\n");
    }
}
