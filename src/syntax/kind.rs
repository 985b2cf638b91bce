//! Node kinds and field names of the grammar (see `grammar/grammar.js`).

pub const DOCUMENT: &str = "document";
pub const FRONT_MATTER: &str = "front_matter";
pub const FRONT_MATTER_ENTRY: &str = "front_matter_entry";
pub const HEADING: &str = "heading";
pub const PARAGRAPH: &str = "paragraph";
pub const BLOCK_QUOTE: &str = "block_quote";
pub const LIST_ITEM: &str = "list_item";
pub const FENCED_CODE_BLOCK: &str = "fenced_code_block";
pub const COMMENT: &str = "comment";
pub const FOOTNOTE_DEFINITION: &str = "footnote_definition";
pub const NOTE_LABEL: &str = "note_label";
pub const INLINE: &str = "inline";
pub const REFERENCE_GROUP: &str = "reference_group";
pub const REFERENCE_RANGE: &str = "reference_range";
pub const REFERENCE_LABEL: &str = "reference_label";
pub const FOOTNOTE_REFERENCE: &str = "footnote_reference";
pub const CITATION_GROUP: &str = "citation_group";
pub const CITATION: &str = "citation";
pub const NARRATIVE_CITATION: &str = "narrative_citation";
pub const CODE_SPAN: &str = "code_span";
pub const LINK: &str = "link";
pub const URL: &str = "url";

pub const FIELD_KEY: &str = "key";
pub const FIELD_VALUE: &str = "value";
pub const FIELD_MARKER: &str = "marker";
pub const FIELD_CONTENT: &str = "content";
pub const FIELD_LABEL: &str = "label";
pub const FIELD_START: &str = "start";
pub const FIELD_END: &str = "end";
pub const FIELD_PREFIX: &str = "prefix";
pub const FIELD_SUPPRESS: &str = "suppress";
pub const FIELD_SUFFIX: &str = "suffix";
