//! Byte ranges and line lookup: the one unit of position inside aam.
//!
//! Everything below `lsp/` and `cli/` speaks UTF-8 byte offsets into the
//! document text. `LineIndex` maps offsets to lines; the conversion to LSP's
//! UTF-16 columns lives in `lsp/`, the 1-based columns of the CLI in `cli/`.

mod line_index;
mod range;

pub use line_index::LineIndex;
pub use range::TextRange;
