//! Text folding for theme matching: case folding, accent folding (NFKD, combining marks removed) and
//! separator normalisation, with a byte-level fast path for ASCII text.
//!
//! The folded form of a text keeps
//! - word characters (Unicode alphanumerics), lower-cased, accents removed (`é` → `e`, `Ä` → `a`,
//!   `ß` → `ss`, `ﬁ` → `fi` through NFKD);
//! - apostrophes (`'`; the typographic `’` and `‘` become `'`);
//! - clause punctuation `. , ; : ! ?` (it can end a negation window);
//! - every other character (whitespace, hyphens, slashes, quotes, symbols) becomes a separator, and runs of
//!   separators collapse to one space; leading and trailing separators are dropped.
//!
//! Phrases of a taxonomy are folded by the same function, so `"Check-out  page"` and `"check out page"` are
//! the same phrase and match the same texts.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Clause punctuation kept in the folded text.
pub(crate) fn is_clause_punct(c: char) -> bool {
    matches!(c, '.' | ',' | ';' | ':' | '!' | '?')
}

/// ASCII folding table: 0 = separator, otherwise the folded byte (letters lower-cased; digits, `'` and
/// clause punctuation kept).
const ASCII_FOLD: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0usize;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_uppercase() {
            c + 32
        } else if c.is_ascii_lowercase()
            || c.is_ascii_digit()
            || c == b'\''
            || c == b'.'
            || c == b','
            || c == b';'
            || c == b':'
            || c == b'!'
            || c == b'?'
        {
            c
        } else {
            0
        };
        b += 1;
    }
    t
};

/// A character that belongs to a word (for word-boundary checks).
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// Folds `text` into `out` (cleared first). See the module docs for the rules.
///
/// ```
/// let mut out = String::new();
/// cxkpi::text::fold_into("  Très  LENT, pas-cher’s  Straße!", &mut out);
/// assert_eq!(out, "tres lent, pas cher's strasse!");
/// ```
pub fn fold_into(text: &str, out: &mut String) {
    out.clear();
    out.reserve(text.len());
    // pending separator: emitted lazily before the next kept character
    let mut pending_space = false;
    if text.is_ascii() {
        // fast path: one table look-up per byte into a byte buffer (the output is never longer than the
        // input: a run of separators becomes at most one space, written in place of its first byte)
        let mut v = std::mem::take(out).into_bytes();
        v.clear();
        v.resize(text.len(), 0);
        let mut j = 0usize;
        for &b in text.as_bytes() {
            let c = ASCII_FOLD[b as usize];
            if c == 0 {
                pending_space = true;
            } else {
                if pending_space && j > 0 {
                    v[j] = b' ';
                    j += 1;
                }
                pending_space = false;
                v[j] = c;
                j += 1;
            }
        }
        v.truncate(j);
        // only ASCII bytes were written, so this cannot fail
        *out = String::from_utf8(v).unwrap_or_default();
        return;
    }
    for ch in text.chars() {
        if ch.is_ascii() {
            let b = ch as u8;
            if b.is_ascii_alphanumeric() || b == b'\'' || is_clause_punct(ch) {
                if pending_space && !out.is_empty() {
                    out.push(' ');
                }
                pending_space = false;
                out.push(ch.to_ascii_lowercase());
            } else {
                pending_space = true;
            }
            continue;
        }
        if ch == '\u{2019}' || ch == '\u{2018}' || ch == '\u{02BC}' {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push('\'');
            continue;
        }
        if is_combining_mark(ch) {
            // a stray combining mark (text already in NFD): dropped, not a separator
            continue;
        }
        if ch == 'ß' || ch == 'ẞ' {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push_str("ss");
            continue;
        }
        for lc in ch.to_lowercase() {
            decompose_compatible(lc, |d| {
                if is_combining_mark(d) {
                    return;
                }
                if d.is_alphanumeric() || d == '\'' || is_clause_punct(d) {
                    if pending_space && !out.is_empty() {
                        out.push(' ');
                    }
                    pending_space = false;
                    // NFKD can produce upper-case letters from compatibility forms (e.g. ㎒): lower again
                    if d.is_uppercase() {
                        for l2 in d.to_lowercase() {
                            out.push(l2);
                        }
                    } else {
                        out.push(d);
                    }
                } else {
                    pending_space = true;
                }
            });
        }
    }
}

/// Folds `text` into a new string (see [`fold_into`]).
///
/// ```
/// assert_eq!(cxkpi::text::fold("Ça ne marche PAS"), "ca ne marche pas");
/// ```
pub fn fold(text: &str) -> String {
    let mut s = String::new();
    fold_into(text, &mut s);
    s
}

/// The character that ends just before byte `i` of `s` (None at the start).
#[inline]
pub(crate) fn char_before(s: &str, i: usize) -> Option<char> {
    s[..i].chars().next_back()
}

/// The character that starts at byte `i` of `s` (None at the end).
#[inline]
pub(crate) fn char_at(s: &str, i: usize) -> Option<char> {
    s[i..].chars().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_rules() {
        assert_eq!(fold("Hello,   WORLD"), "hello, world");
        assert_eq!(fold("Café crème"), "cafe creme");
        assert_eq!(fold("Cafe\u{301} cre\u{300}me"), "cafe creme");
        assert_eq!(fold("ÜBER-Größe"), "uber grosse");
        assert_eq!(fold("don’t"), "don't");
        assert_eq!(fold("  ﬁne  "), "fine");
        assert_eq!(fold("Señor NIÑO"), "senor nino");
        assert_eq!(fold(""), "");
        assert_eq!(fold("--"), "");
    }
}
