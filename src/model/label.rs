//! Note labels: `3` for `[3]`, `^x` for `[^x]`.

/// The number of a plain numeric label (`[3]` → 3); `None` for `[^x]`,
/// `[^3]`, numbers too large to renumber, and zero-padded labels (`[07]`):
/// references resolve by label text, so `[07]` is not note `[7]`, and it is
/// kept as written like a named label rather than renumbered as 7.
pub fn numeric(label: &str) -> Option<u64> {
    if label.is_empty() || !label.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if label.len() > 1 && label.starts_with('0') {
        return None;
    }
    label.parse().ok()
}

/// `true` for a label a user may write: digits, or `^` and letters, digits,
/// `_`, `-`.
pub fn is_valid(label: &str) -> bool {
    match label.strip_prefix('^') {
        Some(name) => !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-'),
        None => !label.is_empty() && label.bytes().all(|b| b.is_ascii_digit()),
    }
}

/// The label of a bracketed marker: `[3]` → `3`, `[^x]` → `^x`.
pub fn from_marker(marker: &str) -> &str {
    let inner = marker.strip_prefix('[').unwrap_or(marker);
    let inner = inner.strip_suffix(':').unwrap_or(inner);
    inner.strip_suffix(']').unwrap_or(inner).trim()
}

/// How a label is written as a marker: `[3]`, `[^x]`.
pub fn marker(label: &str) -> String {
    format!("[{label}]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_labels() {
        assert_eq!(numeric("12"), Some(12));
        assert_eq!(numeric("^12"), None);
        assert_eq!(numeric("99999999999999999999"), None);
        assert_eq!(numeric(""), None);
        assert_eq!(numeric("0"), Some(0));
        assert_eq!(numeric("00"), None);
        assert_eq!(numeric("07"), None);
    }

    #[test]
    fn markers_and_validity() {
        assert_eq!(from_marker("[^note-1]"), "^note-1");
        assert_eq!(from_marker("[12]"), "12");
        assert!(is_valid("^a_b-1"));
        assert!(is_valid("7"));
        assert!(!is_valid("a"));
        assert!(!is_valid("^"));
        assert!(!is_valid("1 2"));
    }
}
