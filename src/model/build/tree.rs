//! The walk over the syntax tree: blocks, notes, references, code, comments
//! and URLs of one top-level node.

use std::sync::Arc;

use crate::model::citation;
use crate::model::front_matter::{self, FrontMatter, FrontMatterEntry};
use crate::model::{Block, BlockKind, Cite, Heading, Note, Reference, cite, label};
use crate::syntax::{Node, kind};
use crate::text::TextRange;

/// Numbers a range like `[2-4]` expands to at most; longer ranges keep their
/// two ends only (a typo like `[1-99999]` must not allocate millions).
const MAX_RANGE_EXPANSION: u64 = 500;

pub(super) struct Builder<'a> {
    pub(super) text: &'a str,
    pub(super) front_matter: Option<FrontMatter>,
    pub(super) headings: Vec<Heading>,
    pub(super) blocks: Vec<Block>,
    pub(super) references: Vec<Reference>,
    pub(super) cites: Vec<Cite>,
    pub(super) notes: Vec<Note>,
    pub(super) comments: Vec<TextRange>,
    pub(super) code: Vec<TextRange>,
    pub(super) urls: Vec<TextRange>,
    /// Ranges blanked out before sentence and date analysis.
    pub(super) masks: Vec<TextRange>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(text: &'a str) -> Builder<'a> {
        Builder {
            text,
            front_matter: None,
            headings: Vec::new(),
            blocks: Vec::new(),
            references: Vec::new(),
            cites: Vec::new(),
            notes: Vec::new(),
            comments: Vec::new(),
            code: Vec::new(),
            urls: Vec::new(),
            masks: Vec::new(),
        }
    }

    pub(super) fn visit_blocks(&mut self, parent: Node<'_>) {
        let mut cursor = parent.walk();
        for node in parent.named_children(&mut cursor) {
            self.visit_block(node);
        }
    }

    pub(super) fn visit_block(&mut self, node: Node<'_>) {
        let range = node_range(node);
        match node.kind() {
            kind::FRONT_MATTER => {
                self.front_matter = Some(self.front_matter(node));
                self.push_block(BlockKind::FrontMatter, range, TextRange::empty(range.start()));
            }
            kind::HEADING => {
                let marker = node.child_by_field_name(kind::FIELD_MARKER);
                let level = marker.map_or(1, |m| self.slice(node_range(m)).trim().len().clamp(1, 6));
                let content = node
                    .child_by_field_name(kind::FIELD_CONTENT)
                    .map_or(TextRange::empty(range.end()), node_range);
                if let Some(content_node) = node.child_by_field_name(kind::FIELD_CONTENT) {
                    self.scan_inline(content_node);
                }
                self.headings.push(Heading {
                    level: level as u8,
                    range,
                    content,
                    text: citation::collapse(self.slice(content)),
                });
                self.push_block(BlockKind::Heading, range, content);
            }
            kind::PARAGRAPH => {
                self.scan_inline(node);
                let content = node.child_by_field_name(kind::FIELD_CONTENT).map_or(range, node_range);
                self.push_block(BlockKind::Paragraph, range, content);
            }
            kind::BLOCK_QUOTE => {
                self.scan_inline(node);
                self.push_block(BlockKind::Quote, range, range);
            }
            kind::LIST_ITEM => {
                let content = node.child_by_field_name(kind::FIELD_CONTENT);
                let content_range = content.map_or(TextRange::empty(range.end()), node_range);
                self.push_block(BlockKind::ListItem, range, content_range);
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    match child.kind() {
                        kind::INLINE => self.scan_inline(child),
                        kind::LIST_ITEM | kind::PARAGRAPH | kind::BLOCK_QUOTE | kind::FENCED_CODE_BLOCK => {
                            self.visit_block(child)
                        }
                        _ => self.masks.push(node_range(child)),
                    }
                }
            }
            kind::FENCED_CODE_BLOCK => {
                self.code.push(range);
                self.push_block(BlockKind::Code, range, TextRange::empty(range.start()));
            }
            kind::COMMENT => {
                self.comments.push(range);
                self.push_block(BlockKind::Comment, range, TextRange::empty(range.start()));
            }
            kind::FOOTNOTE_DEFINITION => self.footnote_definition(node),
            _ if node.named_child_count() > 0 => self.visit_blocks(node),
            _ => {}
        }
    }

    pub(super) fn push_block(&mut self, kind: BlockKind, range: TextRange, content: TextRange) {
        self.blocks.push(Block { kind, range, content });
    }

    pub(super) fn front_matter(&mut self, node: Node<'_>) -> FrontMatter {
        let mut entries = Vec::new();
        let mut cursor = node.walk();
        for entry in node.named_children(&mut cursor) {
            if entry.kind() != kind::FRONT_MATTER_ENTRY {
                continue;
            }
            let Some(key) = entry.child_by_field_name(kind::FIELD_KEY) else { continue };
            let key_range = node_range(key);
            let value_range = entry
                .child_by_field_name(kind::FIELD_VALUE)
                .map_or(TextRange::empty(node_range(entry).end()), node_range);
            entries.push(FrontMatterEntry {
                key: self.slice(key_range).trim().to_owned(),
                key_range,
                value: front_matter::unquote(self.slice(value_range)).to_owned(),
                value_range,
            });
        }
        FrontMatter { range: node_range(node), entries }
    }

    pub(super) fn footnote_definition(&mut self, node: Node<'_>) {
        let range = node_range(node);
        let Some(label_node) = node.child_by_field_name(kind::FIELD_LABEL) else {
            self.scan_inline(node);
            return;
        };
        let label_range = node_range(label_node);
        let content_node = node.child_by_field_name(kind::FIELD_CONTENT);
        let content = match content_node {
            Some(content_node) => trim_range(self.text, node_range(content_node)),
            None => TextRange::empty(range.end()),
        };
        if let Some(content_node) = content_node {
            self.scan_inline(content_node);
        }
        let content_text = self.slice(content);
        self.notes.push(Note {
            label: Arc::from(label::from_marker(self.slice(label_range))),
            label_range,
            range,
            content,
            text: citation::collapse(content_text).into(),
            citation: citation::Citation::default(),
            ibid: citation::is_ibid(content_text),
            ibid_of: None,
        });
        self.push_block(BlockKind::Note, range, content);
    }

    /// Collects references, code spans, comments and URLs below `node`.
    pub(super) fn scan_inline(&mut self, node: Node<'_>) {
        let mut stack = vec![node];
        while let Some(node) = stack.pop() {
            let range = node_range(node);
            match node.kind() {
                kind::REFERENCE_GROUP => {
                    self.reference_group(node);
                    self.masks.push(range);
                    continue;
                }
                kind::FOOTNOTE_REFERENCE => {
                    let label = node.named_child(0).map_or_else(
                        || label::from_marker(self.slice(range)).to_owned(),
                        |l| format!("^{}", self.slice(node_range(l))),
                    );
                    let label = if label.starts_with('^') { label } else { format!("^{label}") };
                    self.references.push(Reference {
                        label: label.into(),
                        range,
                        marker: range,
                        in_range: false,
                    });
                    self.masks.push(range);
                    continue;
                }
                kind::CITATION_GROUP => {
                    self.citation_group(node);
                    self.masks.push(range);
                    continue;
                }
                kind::NARRATIVE_CITATION => {
                    if let Some(key) = node.child_by_field_name(kind::FIELD_KEY) {
                        let key_range = node_range(key);
                        self.cites.push(Cite {
                            key: Arc::from(self.slice(key_range)),
                            key_range,
                            range,
                            group: range,
                            prefix: None,
                            locator: None,
                            suppress_author: false,
                            narrative: true,
                        });
                    }
                    // Masked for sentences and dates (`@smith.j`, `@doe2020`),
                    // kept in the sentence's text.
                    self.masks.push(range);
                    continue;
                }
                kind::CODE_SPAN => {
                    self.code.push(range);
                    self.masks.push(range);
                    continue;
                }
                kind::COMMENT => {
                    self.comments.push(range);
                    self.masks.push(range);
                    continue;
                }
                kind::URL => {
                    self.urls.push(range);
                    self.masks.push(range);
                    continue;
                }
                "block_quote_marker" | "list_marker" => {
                    self.masks.push(range);
                    continue;
                }
                _ => {}
            }
            let mut cursor = node.walk();
            let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
            stack.extend(children.into_iter().rev());
        }
    }

    pub(super) fn reference_group(&mut self, group: Node<'_>) {
        let marker = node_range(group);
        let mut items = Vec::new();
        let mut cursor = group.walk();
        for child in group.named_children(&mut cursor) {
            match child.kind() {
                kind::REFERENCE_LABEL => items.push((child, None)),
                kind::REFERENCE_RANGE => {
                    let start = child.child_by_field_name(kind::FIELD_START);
                    let end = child.child_by_field_name(kind::FIELD_END);
                    if let (Some(start), Some(end)) = (start, end) {
                        items.push((start, Some((child, end))));
                    }
                }
                _ => {}
            }
        }
        let lone = items.len() == 1 && items[0].1.is_none();
        for (start, range_end) in items {
            let start_range = node_range(start);
            let start_label = self.slice(start_range).trim().to_owned();
            let narrow = if lone { marker } else { start_range };
            let Some((range_node, end)) = range_end else {
                self.references.push(Reference {
                    label: start_label.into(),
                    range: narrow,
                    marker,
                    in_range: false,
                });
                continue;
            };
            let end_range = node_range(end);
            let end_label = self.slice(end_range).trim().to_owned();
            let span = node_range(range_node);
            let (from, to) = (label::numeric(&start_label), label::numeric(&end_label));
            self.references.push(Reference {
                label: start_label.into(),
                range: start_range,
                marker,
                in_range: false,
            });
            if let (Some(from), Some(to)) = (from, to)
                && to > from
                && to - from <= MAX_RANGE_EXPANSION
            {
                for number in from + 1..to {
                    self.references.push(Reference {
                        label: number.to_string().into(),
                        range: span,
                        marker,
                        in_range: true,
                    });
                }
            }
            if end_label != self.references.last().map_or("", |r| r.label.as_ref()) {
                self.references.push(Reference {
                    label: end_label.into(),
                    range: end_range,
                    marker,
                    in_range: false,
                });
            }
        }
    }

    pub(super) fn citation_group(&mut self, group: Node<'_>) {
        let group_range = node_range(group);
        let mut cursor = group.walk();
        for item in group.named_children(&mut cursor) {
            if item.kind() != kind::CITATION {
                continue;
            }
            let Some(key) = item.child_by_field_name(kind::FIELD_KEY) else { continue };
            let key_range = node_range(key);
            let suppress = item.child_by_field_name(kind::FIELD_SUPPRESS);
            // `@` right before the key, `-` before it when suppressed.
            let start = suppress.map_or(key_range.start().saturating_sub(1), |s| s.start_byte());
            let prefix = item
                .child_by_field_name(kind::FIELD_PREFIX)
                .map(|p| trim_range(self.text, node_range(p)))
                .filter(|p| !p.is_empty());
            let locator = item
                .child_by_field_name(kind::FIELD_SUFFIX)
                .and_then(|s| cite::trim_locator(self.text, node_range(s)));
            self.cites.push(Cite {
                key: Arc::from(self.slice(key_range)),
                key_range,
                range: TextRange::new(start, key_range.end()),
                group: group_range,
                prefix,
                locator,
                suppress_author: suppress.is_some(),
                narrative: false,
            });
        }
    }

    pub(super) fn slice(&self, range: TextRange) -> &str {
        self.text.get(range.as_range()).unwrap_or("")
    }
}

pub(super) fn trim_range(text: &str, range: TextRange) -> TextRange {
    let slice = text.get(range.as_range()).unwrap_or("");
    let start = range.start() + (slice.len() - slice.trim_start().len());
    TextRange::new(start, start + slice.trim().len())
}

pub(super) fn node_range(node: Node<'_>) -> TextRange {
    TextRange::new(node.start_byte(), node.end_byte())
}
