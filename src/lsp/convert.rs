//! Conversions between aam's plain results (byte offsets) and LSP types, in
//! the negotiated position encoding (rust-analyzer's `to_proto` /
//! `from_proto`).

use ropey::Rope;
use tower_lsp_server::ls_types as lsp;

use crate::checks::{self, Edit, Severity};
use crate::ide;
use crate::lsp::position::{self, Encoding, LineCol, PositionTable};
use crate::text::TextRange;

/// Token types of the semantic tokens legend, in legend order.
pub const TOKEN_TYPES: &[lsp::SemanticTokenType] = &[
    lsp::SemanticTokenType::VARIABLE,
    lsp::SemanticTokenType::NUMBER,
    lsp::SemanticTokenType::NAMESPACE,
    lsp::SemanticTokenType::STRING,
];
/// Token modifiers of the legend, in legend order (bit 0 first).
pub const TOKEN_MODIFIERS: &[lsp::SemanticTokenModifier] =
    &[lsp::SemanticTokenModifier::DECLARATION, lsp::SemanticTokenModifier::new("unresolved")];

/// Positions of one text in one encoding.
#[derive(Clone, Copy)]
pub struct LineMap<'a> {
    pub rope: &'a Rope,
    pub encoding: Encoding,
    /// Positions computed in advance (for many diagnostics at once).
    table: Option<&'a PositionTable>,
}

impl<'a> LineMap<'a> {
    pub fn new(rope: &'a Rope, encoding: Encoding) -> LineMap<'a> {
        LineMap { rope, encoding, table: None }
    }

    /// Looks offsets up in `table` first (made for the same text).
    pub fn with_table(rope: &'a Rope, encoding: Encoding, table: &'a PositionTable) -> LineMap<'a> {
        LineMap { rope, encoding, table: Some(table) }
    }

    pub fn position(&self, offset: usize) -> lsp::Position {
        let found = self.table.and_then(|table| table.get(offset.min(self.rope.len_bytes())));
        let LineCol { line, col } =
            found.unwrap_or_else(|| position::to_line_col(self.rope, offset, self.encoding));
        lsp::Position::new(line, col)
    }

    pub fn range(&self, range: TextRange) -> lsp::Range {
        lsp::Range::new(self.position(range.start()), self.position(range.end()))
    }

    pub fn offset(&self, position: lsp::Position) -> usize {
        position::to_offset(self.rope, line_col(position), self.encoding)
    }

    /// A client range as bytes (an inverted range becomes empty).
    pub fn text_range(&self, range: lsp::Range) -> TextRange {
        let start = self.offset(range.start);
        TextRange::new(start, self.offset(range.end).max(start))
    }

    pub fn text_edit(&self, edit: &Edit) -> lsp::TextEdit {
        lsp::TextEdit { range: self.range(edit.range), new_text: edit.new_text.clone() }
    }
}

pub fn line_col(position: lsp::Position) -> LineCol {
    LineCol { line: position.line, col: position.character }
}

/// What the client said it supports, as far as conversions care.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientSupport {
    pub related_information: bool,
    pub document_changes: bool,
    pub definition_links: bool,
    pub hierarchical_symbols: bool,
    pub show_document: bool,
    pub pull_diagnostics: bool,
    pub diagnostic_refresh: bool,
    pub watch_files_dynamically: bool,
    pub configuration: bool,
    pub inlay_hint_refresh: bool,
    /// The client resolves a completion item's documentation when it shows
    /// the item (`completionItem/resolve`).
    pub resolve_documentation: bool,
}

impl ClientSupport {
    pub fn from_capabilities(caps: &lsp::ClientCapabilities) -> ClientSupport {
        let text = caps.text_document.as_ref();
        let workspace = caps.workspace.as_ref();
        ClientSupport {
            // Pull reports have no capability of their own for related
            // information; clients that pull show it.
            related_information: text
                .and_then(|t| t.publish_diagnostics.as_ref())
                .and_then(|p| p.related_information)
                .unwrap_or(false)
                || text.and_then(|t| t.diagnostic.as_ref()).is_some(),
            document_changes: workspace
                .and_then(|w| w.workspace_edit.as_ref())
                .and_then(|e| e.document_changes)
                .unwrap_or(false),
            definition_links: text
                .and_then(|t| t.definition.as_ref())
                .and_then(|d| d.link_support)
                .unwrap_or(false),
            hierarchical_symbols: text
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|s| s.hierarchical_document_symbol_support)
                .unwrap_or(false),
            show_document: caps
                .window
                .as_ref()
                .and_then(|w| w.show_document.as_ref())
                .is_some_and(|s| s.support),
            pull_diagnostics: text.and_then(|t| t.diagnostic.as_ref()).is_some(),
            diagnostic_refresh: workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            watch_files_dynamically: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            inlay_hint_refresh: workspace
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|i| i.refresh_support)
                .unwrap_or(false),
            resolve_documentation: text
                .and_then(|t| t.completion.as_ref())
                .and_then(|c| c.completion_item.as_ref())
                .and_then(|i| i.resolve_support.as_ref())
                .is_some_and(|r| r.properties.iter().any(|p| p == "documentation")),
        }
    }
}

pub fn severity(severity: Severity) -> lsp::DiagnosticSeverity {
    match severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        Severity::Hint => lsp::DiagnosticSeverity::HINT,
    }
}

/// One finding as an LSP diagnostic: code, rule name (in `data`), severity,
/// related places, and the `Unnecessary` tag for text that can go.
pub fn diagnostic(
    map: &LineMap<'_>,
    uri: &lsp::Uri,
    finding: &checks::Diagnostic,
    support: &ClientSupport,
) -> lsp::Diagnostic {
    let related: Vec<lsp::DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .map(|related| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), map.range(related.range)),
            message: related.message.to_string(),
        })
        .collect();
    let unnecessary = is_unnecessary(finding);
    lsp::Diagnostic {
        range: map.range(finding.range),
        severity: Some(severity(finding.severity)),
        code: Some(lsp::NumberOrString::String(finding.rule.code.to_owned())),
        code_description: None,
        source: Some("aam".to_owned()),
        message: finding.message.to_string(),
        related_information: (support.related_information && !related.is_empty()).then_some(related),
        tags: unnecessary.then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        data: Some(serde_json::json!({ "name": finding.rule.name })),
    }
}

/// `diagnostic` as it goes on the wire, borrowing its texts: the JSON of
/// `diagnostic(..)` field for field (a test holds them equal), without its
/// ten allocations (a code, a source, a message, a `data` map, the related
/// places with a URI each). `publishDiagnostics` after each keystroke sends
/// thousands of these on a long article.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WireDiagnostic<'a> {
    range: lsp::Range,
    severity: lsp::DiagnosticSeverity,
    code: &'static str,
    source: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_information: Vec<WireRelated<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<[lsp::DiagnosticTag; 1]>,
    data: WireData,
}

#[derive(serde::Serialize)]
struct WireRelated<'a> {
    location: WireLocation<'a>,
    message: &'a str,
}

#[derive(serde::Serialize)]
struct WireLocation<'a> {
    uri: &'a lsp::Uri,
    range: lsp::Range,
}

#[derive(serde::Serialize)]
struct WireData {
    name: &'static str,
}

/// The parameters of `textDocument/publishDiagnostics`, as
/// `lsp::PublishDiagnosticsParams` serialises them (the server splices the
/// serialised diagnostics into them instead: `server::diagnostics`).
#[cfg(test)]
#[derive(serde::Serialize)]
pub struct WirePublish<'a> {
    pub uri: &'a lsp::Uri,
    pub diagnostics: Vec<WireDiagnostic<'a>>,
    pub version: Option<i32>,
}

pub fn wire_diagnostic<'a>(
    map: &LineMap<'_>,
    uri: &'a lsp::Uri,
    finding: &'a checks::Diagnostic,
    support: &ClientSupport,
) -> WireDiagnostic<'a> {
    let related_information = if support.related_information {
        finding
            .related
            .iter()
            .map(|related| WireRelated {
                location: WireLocation { uri, range: map.range(related.range) },
                message: &related.message,
            })
            .collect()
    } else {
        Vec::new()
    };
    WireDiagnostic {
        range: map.range(finding.range),
        severity: severity(finding.severity),
        code: finding.rule.code,
        source: "aam",
        message: &finding.message,
        related_information,
        tags: is_unnecessary(finding).then_some([lsp::DiagnosticTag::UNNECESSARY]),
        data: WireData { name: finding.rule.name },
    }
}

/// Findings of text that can go (shown faded).
fn is_unnecessary(finding: &checks::Diagnostic) -> bool {
    matches!(finding.rule.code, "AAM002" | "AAM101")
}

pub fn hover(map: &LineMap<'_>, hover: ide::hover::Hover) -> lsp::Hover {
    lsp::Hover {
        contents: lsp::HoverContents::Markup(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value: hover.markdown,
        }),
        range: Some(map.range(hover.range)),
    }
}

/// Edits of one document as a workspace edit, versioned when the client
/// supports `documentChanges` (so that it refuses to apply them to a newer
/// text).
pub fn workspace_edit(
    map: &LineMap<'_>,
    uri: &lsp::Uri,
    version: i32,
    edits: &[Edit],
    support: &ClientSupport,
) -> lsp::WorkspaceEdit {
    let text_edits: Vec<lsp::TextEdit> = edits.iter().map(|edit| map.text_edit(edit)).collect();
    if support.document_changes {
        let edit = lsp::TextDocumentEdit {
            text_document: lsp::OptionalVersionedTextDocumentIdentifier {
                uri: uri.clone(),
                version: Some(version),
            },
            edits: text_edits.into_iter().map(lsp::OneOf::Left).collect(),
        };
        lsp::WorkspaceEdit {
            document_changes: Some(lsp::DocumentChanges::Edits(vec![edit])),
            ..Default::default()
        }
    } else {
        lsp::WorkspaceEdit {
            changes: Some([(uri.clone(), text_edits)].into_iter().collect()),
            ..Default::default()
        }
    }
}

/// The position of `offset` in the text after `edits` are applied to the
/// text of `rope` (for a cursor after an inserted stub).
pub fn position_after_edits(rope: &Rope, edits: &[Edit], offset: usize, encoding: Encoding) -> lsp::Position {
    let mut edited = rope.clone();
    for edit in edits.iter().rev() {
        let start = edited.byte_to_char(edit.range.start().min(edited.len_bytes()));
        let end = edited.byte_to_char(edit.range.end().min(edited.len_bytes()));
        edited.remove(start..end);
        edited.insert(start, &edit.new_text);
    }
    LineMap::new(&edited, encoding).position(offset)
}

/// Items of a lazy completion carry `data` naming their document, for
/// `completionItem/resolve` (which reads the label from the item). The
/// filter text is the label (the default), so none is sent.
pub fn completion(
    map: &LineMap<'_>,
    uri: &lsp::Uri,
    completion: ide::completion::Completion,
) -> lsp::CompletionResponse {
    let range = map.range(completion.replace);
    let items = completion
        .items
        .into_iter()
        .map(|item| lsp::CompletionItem {
            data: (item.kind != ide::completion::ItemKind::NextFree && item.documentation.is_none())
                .then(|| serde_json::json!({ "uri": uri.as_str() })),
            kind: Some(match item.kind {
                ide::completion::ItemKind::Existing => lsp::CompletionItemKind::REFERENCE,
                ide::completion::ItemKind::NextFree => lsp::CompletionItemKind::VALUE,
                ide::completion::ItemKind::Entry => lsp::CompletionItemKind::REFERENCE,
            }),
            detail: Some(item.detail),
            documentation: item.documentation.map(|value| {
                lsp::Documentation::MarkupContent(lsp::MarkupContent {
                    kind: lsp::MarkupKind::Markdown,
                    value,
                })
            }),
            sort_text: Some(item.sort_text),
            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit { range, new_text: item.insert })),
            label: item.label,
            ..Default::default()
        })
        .collect();
    lsp::CompletionResponse::List(lsp::CompletionList { is_incomplete: completion.incomplete, items })
}

pub fn symbols(
    map: &LineMap<'_>,
    uri: &lsp::Uri,
    symbols: Vec<ide::structure::Symbol>,
    hierarchical: bool,
) -> lsp::DocumentSymbolResponse {
    if hierarchical {
        return lsp::DocumentSymbolResponse::Nested(
            symbols.into_iter().map(|symbol| nested_symbol(map, symbol)).collect(),
        );
    }
    let mut flat = Vec::new();
    flatten_symbols(map, uri, symbols, None, &mut flat);
    lsp::DocumentSymbolResponse::Flat(flat)
}

#[allow(deprecated)] // `deprecated` is a required field of the LSP type
fn nested_symbol(map: &LineMap<'_>, symbol: ide::structure::Symbol) -> lsp::DocumentSymbol {
    lsp::DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: map.range(symbol.range),
        selection_range: map.range(symbol.selection_range),
        children: (!symbol.children.is_empty())
            .then(|| symbol.children.into_iter().map(|child| nested_symbol(map, child)).collect()),
    }
}

#[allow(deprecated)] // `deprecated` is a required field of the LSP type
fn flatten_symbols(
    map: &LineMap<'_>,
    uri: &lsp::Uri,
    symbols: Vec<ide::structure::Symbol>,
    container: Option<&str>,
    out: &mut Vec<lsp::SymbolInformation>,
) {
    for symbol in symbols {
        out.push(lsp::SymbolInformation {
            name: symbol.name.clone(),
            kind: symbol_kind(symbol.kind),
            tags: None,
            deprecated: None,
            location: lsp::Location::new(uri.clone(), map.range(symbol.range)),
            container_name: container.map(str::to_owned),
        });
        flatten_symbols(map, uri, symbol.children, Some(&symbol.name), out);
    }
}

fn symbol_kind(kind: ide::structure::SymbolKind) -> lsp::SymbolKind {
    match kind {
        ide::structure::SymbolKind::Heading => lsp::SymbolKind::STRING,
        ide::structure::SymbolKind::Notes => lsp::SymbolKind::NAMESPACE,
        ide::structure::SymbolKind::Note => lsp::SymbolKind::KEY,
    }
}

pub fn folding_ranges(map: &LineMap<'_>, folds: Vec<ide::structure::Fold>) -> Vec<lsp::FoldingRange> {
    folds
        .into_iter()
        .filter_map(|fold| {
            let start = map.position(fold.range.start()).line;
            let end = map.position(fold.range.end()).line;
            (end > start).then(|| lsp::FoldingRange {
                start_line: start,
                end_line: end,
                kind: Some(match fold.kind {
                    ide::structure::FoldKind::Comment => lsp::FoldingRangeKind::Comment,
                    ide::structure::FoldKind::Region
                    | ide::structure::FoldKind::FrontMatter
                    | ide::structure::FoldKind::Code => lsp::FoldingRangeKind::Region,
                }),
                ..Default::default()
            })
        })
        .collect()
}

pub fn document_links(map: &LineMap<'_>, links: Vec<ide::structure::Link>) -> Vec<lsp::DocumentLink> {
    links
        .into_iter()
        .filter_map(|link| {
            let target: lsp::Uri = link.target.parse().ok()?;
            Some(lsp::DocumentLink {
                range: map.range(link.range),
                target: Some(target),
                tooltip: None,
                data: None,
            })
        })
        .collect()
}

/// Tokens as LSP's relative encoding; a token spanning lines is split at
/// each line break.
pub fn semantic_tokens(map: &LineMap<'_>, tokens: &[ide::semantic_tokens::Token]) -> Vec<lsp::SemanticToken> {
    use ide::semantic_tokens::TokenKind;
    let mut out = Vec::with_capacity(tokens.len());
    let (mut previous_line, mut previous_start) = (0u32, 0u32);
    for token in tokens {
        let (token_type, modifiers) = match token.kind {
            TokenKind::Reference => (0, 0),
            TokenKind::UnresolvedReference => (0, 0b10),
            TokenKind::NoteLabel => (0, 0b01),
            TokenKind::Date => (1, 0),
            TokenKind::Heading => (2, 0),
            TokenKind::Url => (3, 0),
        };
        let start = map.position(token.range.start());
        let end = map.position(token.range.end());
        for line in start.line..=end.line {
            let from = if line == start.line { start.character } else { 0 };
            let to = if line == end.line {
                end.character
            } else {
                let line_start = position::to_offset(map.rope, LineCol { line, col: 0 }, map.encoding);
                let line_end = position::to_offset(map.rope, LineCol { line, col: u32::MAX }, map.encoding);
                let line_text: String = map.rope.byte_slice(line_start..line_end).into();
                position::len_in(&line_text, map.encoding) as u32
            };
            if to <= from {
                continue;
            }
            let delta_line = line - previous_line;
            let delta_start = if delta_line == 0 { from - previous_start } else { from };
            out.push(lsp::SemanticToken {
                delta_line,
                delta_start,
                length: to - from,
                token_type,
                token_modifiers_bitset: modifiers,
            });
            previous_line = line;
            previous_start = from;
        }
    }
    out
}

pub fn inlay_hints(map: &LineMap<'_>, hints: Vec<ide::inlay_hints::InlayHint>) -> Vec<lsp::InlayHint> {
    hints
        .into_iter()
        .map(|hint| lsp::InlayHint {
            position: map.position(hint.offset),
            label: lsp::InlayHintLabel::String(hint.label),
            kind: None,
            text_edits: None,
            tooltip: None,
            padding_left: Some(true),
            padding_right: None,
            data: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_form_of_a_diagnostic_is_the_lsp_one() {
        let text = include_str!("../../tests/data/seed-article.txt");
        let text = format!("{text}\nThe harbour opened on 3 May 2021.\nThe harbour opened on 3 May 2021.\n");
        let doc = crate::model::Document::parse(&text, &crate::model::ModelConfig::default());
        let findings = checks::check(&doc, &checks::CheckConfig::default());
        assert!(findings.iter().any(|f| !f.related.is_empty()), "some with related places");
        assert!(findings.iter().any(is_unnecessary), "some faded");
        let rope = Rope::from_str(&text);
        let uri: lsp::Uri = "file:///a.aam".parse().expect("a URI");
        for encoding in [Encoding::Utf8, Encoding::Utf16] {
            let map = LineMap::new(&rope, encoding);
            for related_information in [false, true] {
                let support = ClientSupport { related_information, ..ClientSupport::default() };
                for finding in &findings {
                    let lsp = serde_json::to_value(diagnostic(&map, &uri, finding, &support)).expect("JSON");
                    let wire =
                        serde_json::to_value(wire_diagnostic(&map, &uri, finding, &support)).expect("JSON");
                    assert_eq!(wire, lsp);
                }
            }
        }
        let map = LineMap::new(&rope, Encoding::Utf16);
        let support = ClientSupport { related_information: true, ..ClientSupport::default() };
        let lsp = lsp::PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics: findings.iter().map(|f| diagnostic(&map, &uri, f, &support)).collect(),
            version: Some(3),
        };
        let wire = WirePublish {
            uri: &uri,
            diagnostics: findings.iter().map(|f| wire_diagnostic(&map, &uri, f, &support)).collect(),
            version: Some(3),
        };
        assert_eq!(serde_json::to_value(wire).expect("JSON"), serde_json::to_value(lsp).expect("JSON"));
    }
}
