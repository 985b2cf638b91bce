//! Reading an article: bytes to text, with a clear reason when a file cannot
//! be checked (missing, unreadable, a directory, binary, not UTF-8, too
//! large for the 32-bit offsets of the syntax tree).

use std::path::Path;
use std::sync::Arc;

/// The text of one input, and what to restore when writing it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Source {
    /// The text without a leading byte order mark, shared with the model
    /// (one copy of the file in memory, not several).
    pub text: Arc<str>,
    /// `true` when the file started with a UTF-8 byte order mark.
    pub bom: bool,
}

const BOM: &str = "\u{feff}";

/// Files at or above this size are not checked (tree-sitter counts bytes in
/// `u32`).
const MAX_BYTES: u64 = u32::MAX as u64;

impl Source {
    /// Reads `path`; the error is the reason, for `path: reason` messages.
    pub fn read(path: &Path) -> Result<Source, String> {
        let metadata = std::fs::metadata(path).map_err(|err| io_message(&err))?;
        if metadata.is_dir() {
            return Err("is a directory".to_owned());
        }
        if metadata.len() >= MAX_BYTES {
            return Err(format!("file is too large ({} bytes; the limit is 4 GiB)", metadata.len()));
        }
        let bytes = std::fs::read(path).map_err(|err| io_message(&err))?;
        Source::decode(bytes)
    }

    /// Decodes bytes read from a file or standard input.
    pub fn decode(bytes: Vec<u8>) -> Result<Source, String> {
        if u32::try_from(bytes.len()).is_err() {
            return Err("input is too large (the limit is 4 GiB)".to_owned());
        }
        if let Some(offset) = memchr::memchr(0, &bytes) {
            return Err(format!("binary file (NUL byte at offset {offset}), skipped"));
        }
        let mut text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(err) => {
                return Err(format!(
                    "not valid UTF-8 (invalid byte at offset {})",
                    err.utf8_error().valid_up_to()
                ));
            }
        };
        let bom = text.starts_with(BOM);
        if bom {
            text.drain(..BOM.len());
        }
        Ok(Source { text: Arc::from(text), bom })
    }

    /// The bytes as read (to detect a change on disk before writing): the
    /// text with its byte order mark, as decoding removed nothing else.
    pub fn original(&self) -> Vec<u8> {
        self.encode(&self.text)
    }

    /// `text` as it should be written back (with its byte order mark).
    pub fn encode(&self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() + 3);
        if self.bom {
            out.extend_from_slice(BOM.as_bytes());
        }
        out.extend_from_slice(text.as_bytes());
        out
    }
}

/// An I/O error as a short lowercase reason.
pub(crate) fn io_message(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_owned(),
        _ if err.raw_os_error() == Some(40) => "symlink loop (too many levels of symbolic links)".to_owned(),
        _ => {
            let text = err.to_string();
            match text.find(" (os error") {
                Some(idx) => text[..idx].to_lowercase(),
                None => text.to_lowercase(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(
            Source::decode(b"caf\xe9".to_vec()).unwrap_err(),
            "not valid UTF-8 (invalid byte at offset 3)"
        );
        assert_eq!(
            Source::decode(b"ab\0c".to_vec()).unwrap_err(),
            "binary file (NUL byte at offset 2), skipped"
        );
        let source = Source::decode("\u{feff}Text.[1]".as_bytes().to_vec()).unwrap();
        assert!(source.bom);
        assert_eq!(&*source.text, "Text.[1]");
        assert_eq!(source.encode("New"), "\u{feff}New".as_bytes());
        assert_eq!(&*Source::decode(Vec::new()).unwrap().text, "");
    }
}
