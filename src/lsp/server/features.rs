//! The editor features: hover, navigation, rename, completion, code actions,
//! structure, semantic tokens, inlay hints, and the debug request.

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{self, ErrorCode};
use tower_lsp_server::ls_types as lsp;

use super::analysis::not_open;
use super::{Backend, Context, DebugDocumentParams, Needs, RENUMBER_KIND, REQUEST_FAILED, REVEAL_POSITION};
use crate::ide;
use crate::lsp::convert::{self, LineMap};
use crate::lsp::documents::Model;

impl Backend {
    /// `aam/debugDocument`: the server's text of a document, its version and
    /// its syntax tree as an S-expression (for tests and bug reports).
    pub async fn debug_document(&self, params: DebugDocumentParams) -> jsonrpc::Result<Value> {
        let uri = params.text_document.uri;
        let Some((snapshot, _)) = self.shared.snapshot(&uri) else {
            return Err(not_open(&uri));
        };
        let Some(analysis) = self.shared.analysis(&uri, snapshot, Needs::Model).await? else {
            return Err(jsonrpc::Error::invalid_params("the document is too large to analyse"));
        };
        Ok(json!({
            "version": analysis.version,
            "text": String::from(&analysis.rope),
            "tree": analysis.tree.root_node().to_sexp(),
        }))
    }
}

pub(super) async fn hover(
    backend: &Backend,
    params: lsp::HoverParams,
) -> jsonrpc::Result<Option<lsp::Hover>> {
    let position = params.text_document_position_params.position;
    let uri = params.text_document_position_params.text_document.uri;
    let hover = backend
        .with_analysis(&uri, "hover", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            let offset = map.offset(position);
            ide::citations::hover(&analysis.doc, offset)
                .or_else(|| ide::hover::hover(&analysis.doc, offset))
                .map(|hover| convert::hover(&map, hover))
        })
        .await?;
    Ok(hover.flatten())
}

pub(super) async fn goto_definition(
    backend: &Backend,
    params: lsp::GotoDefinitionParams,
) -> jsonrpc::Result<Option<lsp::GotoDefinitionResponse>> {
    let position = params.text_document_position_params.position;
    let uri = params.text_document_position_params.text_document.uri;
    let response = backend
        .with_analysis(&uri, "definition", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            if let Some((origin, target)) = ide::citations::definition(&analysis.doc, map.offset(position)) {
                let uri = bibliography_uri(&target)?;
                let (range, full) =
                    bibliography_ranges(&target, context, [target.focus_range, target.full_range]);
                return Some(if context.support.definition_links {
                    lsp::GotoDefinitionResponse::Link(vec![lsp::LocationLink {
                        origin_selection_range: Some(map.range(origin)),
                        target_uri: uri,
                        target_range: full,
                        target_selection_range: range,
                    }])
                } else {
                    lsp::GotoDefinitionResponse::Array(vec![lsp::Location::new(uri, range)])
                });
            }
            let found = ide::navigation::definition(&analysis.doc, map.offset(position))?;
            Some(if context.support.definition_links {
                let origin = map.range(found.origin);
                lsp::GotoDefinitionResponse::Link(
                    found
                        .targets
                        .iter()
                        .map(|target| lsp::LocationLink {
                            origin_selection_range: Some(origin),
                            target_uri: context.uri.clone(),
                            target_range: map.range(target.full_range),
                            target_selection_range: map.range(target.focus_range),
                        })
                        .collect(),
                )
            } else {
                lsp::GotoDefinitionResponse::Array(
                    found
                        .targets
                        .iter()
                        .map(|target| lsp::Location::new(context.uri.clone(), map.range(target.focus_range)))
                        .collect(),
                )
            })
        })
        .await?;
    Ok(response.flatten())
}

pub(super) async fn references(
    backend: &Backend,
    params: lsp::ReferenceParams,
) -> jsonrpc::Result<Option<Vec<lsp::Location>>> {
    let position = params.text_document_position.position;
    let uri = params.text_document_position.text_document.uri;
    let include_declaration = params.context.include_declaration;
    let locations = backend
        .with_analysis(&uri, "references", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            if let Some((ranges, entry)) =
                ide::citations::references(&analysis.doc, map.offset(position), include_declaration)
            {
                let mut locations: Vec<lsp::Location> = ranges
                    .into_iter()
                    .map(|range| lsp::Location::new(context.uri.clone(), map.range(range)))
                    .collect();
                if let Some(entry) = entry
                    && let Some(uri) = bibliography_uri(&entry)
                {
                    let (range, _) =
                        bibliography_ranges(&entry, context, [entry.focus_range, entry.focus_range]);
                    locations.push(lsp::Location::new(uri, range));
                }
                return Some(locations);
            }
            let ranges =
                ide::navigation::references(&analysis.doc, map.offset(position), include_declaration)?;
            Some(
                ranges
                    .into_iter()
                    .map(|range| lsp::Location::new(context.uri.clone(), map.range(range)))
                    .collect(),
            )
        })
        .await?;
    Ok(locations.flatten())
}

pub(super) async fn document_highlight(
    backend: &Backend,
    params: lsp::DocumentHighlightParams,
) -> jsonrpc::Result<Option<Vec<lsp::DocumentHighlight>>> {
    let position = params.text_document_position_params.position;
    let uri = params.text_document_position_params.text_document.uri;
    let highlights = backend
        .with_analysis(&uri, "documentHighlight", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            let found = ide::navigation::highlights(&analysis.doc, map.offset(position))?;
            Some(
                found
                    .into_iter()
                    .map(|highlight| lsp::DocumentHighlight {
                        range: map.range(highlight.range),
                        kind: Some(match highlight.kind {
                            ide::navigation::HighlightKind::Read => lsp::DocumentHighlightKind::READ,
                            ide::navigation::HighlightKind::Write => lsp::DocumentHighlightKind::WRITE,
                        }),
                    })
                    .collect(),
            )
        })
        .await?;
    Ok(highlights.flatten())
}

pub(super) async fn prepare_rename(
    backend: &Backend,
    params: lsp::TextDocumentPositionParams,
) -> jsonrpc::Result<Option<lsp::PrepareRenameResponse>> {
    let position = params.position;
    let uri = params.text_document.uri;
    let response = backend
        .with_analysis(&uri, "prepareRename", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            if let Some((range, key)) = ide::citations::prepare_rename(&analysis.doc, map.offset(position)) {
                return Some(lsp::PrepareRenameResponse::RangeWithPlaceholder {
                    range: map.range(range),
                    placeholder: key,
                });
            }
            let target = ide::rename::prepare_rename(&analysis.doc, map.offset(position))?;
            Some(lsp::PrepareRenameResponse::RangeWithPlaceholder {
                range: map.range(target.range),
                placeholder: target.label,
            })
        })
        .await?;
    Ok(response.flatten())
}

pub(super) async fn rename(
    backend: &Backend,
    params: lsp::RenameParams,
) -> jsonrpc::Result<Option<lsp::WorkspaceEdit>> {
    let position = params.text_document_position.position;
    let uri = params.text_document_position.text_document.uri;
    let new_name = params.new_name;
    let result = backend
        .with_analysis(&uri, "rename", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            let offset = map.offset(position);
            if ide::citations::cite_at(&analysis.doc, offset).is_some() {
                return ide::citations::rename(&analysis.doc, offset, &new_name)
                    .map(|renamed| key_rename_edit(&map, context, &renamed));
            }
            ide::rename::rename(&analysis.doc, offset, &new_name).map(|edits| {
                convert::workspace_edit(&map, &context.uri, context.version, &edits, &context.support)
            })
        })
        .await?;
    match result {
        None => Ok(None),
        Some(Ok(edit)) => Ok(Some(edit)),
        Some(Err(message)) => Err(jsonrpc::Error {
            code: ErrorCode::ServerError(REQUEST_FAILED),
            message: message.into(),
            data: None,
        }),
    }
}

/// The URI of a bibliography file (`None` for a path that is not one).
fn bibliography_uri(location: &ide::citations::BibLocation) -> Option<lsp::Uri> {
    lsp::Uri::from_file_path(std::path::absolute(&location.path).ok()?)
}

/// Ranges in a bibliography file, converted with its own text.
fn bibliography_ranges(
    location: &ide::citations::BibLocation,
    context: &Context,
    ranges: [crate::text::TextRange; 2],
) -> (lsp::Range, lsp::Range) {
    let rope = ropey::Rope::from_str(&location.text);
    let map = LineMap::new(&rope, context.encoding);
    (map.range(ranges[0]), map.range(ranges[1]))
}

/// A key's rename: the article's citations, and the entry in its file.
fn key_rename_edit(
    map: &LineMap<'_>,
    context: &Context,
    renamed: &ide::citations::KeyRename,
) -> lsp::WorkspaceEdit {
    let Some((location, entry_edit)) = &renamed.entry else {
        return convert::workspace_edit(map, &context.uri, context.version, &renamed.edits, &context.support);
    };
    let Some(bib_uri) = bibliography_uri(location) else {
        return convert::workspace_edit(map, &context.uri, context.version, &renamed.edits, &context.support);
    };
    let rope = ropey::Rope::from_str(&location.text);
    let bib_map = LineMap::new(&rope, context.encoding);
    let article: Vec<lsp::TextEdit> = renamed.edits.iter().map(|edit| map.text_edit(edit)).collect();
    let entry = vec![bib_map.text_edit(entry_edit)];
    lsp::WorkspaceEdit {
        changes: Some([(context.uri.clone(), article), (bib_uri, entry)].into_iter().collect()),
        ..Default::default()
    }
}

pub(super) async fn completion(
    backend: &Backend,
    params: lsp::CompletionParams,
) -> jsonrpc::Result<Option<lsp::CompletionResponse>> {
    let position = params.text_document_position.position;
    let uri = params.text_document_position.text_document.uri;
    let response = backend
        .with_analysis(&uri, "completion", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            // A long article has hundreds of notes: their citations are
            // sent when the client shows one, if it can ask.
            let docs = if context.support.resolve_documentation {
                ide::completion::Docs::Lazy
            } else {
                ide::completion::Docs::Eager
            };
            let config = ide::completion::CompletionConfig { docs, limit: context.completion_limit };
            let offset = map.offset(position);
            if let Some(completion) = ide::citations::completion(&analysis.doc, offset, config) {
                return Some(convert::completion(&map, &uri, completion));
            }
            ide::completion::completion_with(&analysis.doc, offset, config)
                .map(|completion| convert::completion(&map, &uri, completion))
        })
        .await?;
    Ok(response.flatten())
}

pub(super) async fn completion_resolve(
    backend: &Backend,
    mut item: lsp::CompletionItem,
) -> jsonrpc::Result<lsp::CompletionItem> {
    let uri =
        item.data.as_ref().and_then(|data| data["uri"].as_str()).and_then(|uri| uri.parse::<lsp::Uri>().ok());
    let Some(uri) = uri else { return Ok(item) };
    let label = item.label.clone();
    let documentation = backend
        .with_analysis(&uri, "completionItem/resolve", Needs::Model, |analysis, _| {
            ide::completion::documentation(&analysis.doc, &label)
        })
        .await?
        .flatten();
    if let Some(value) = documentation {
        item.documentation = Some(lsp::Documentation::MarkupContent(lsp::MarkupContent {
            kind: lsp::MarkupKind::Markdown,
            value,
        }));
    }
    Ok(item)
}

pub(super) async fn code_action(
    backend: &Backend,
    params: lsp::CodeActionParams,
) -> jsonrpc::Result<Option<lsp::CodeActionResponse>> {
    let uri = params.text_document.uri;
    let filter = action_filter(params.context.only.as_deref());
    let range = params.range;
    let response = backend
        .with_analysis(&uri, "codeAction", Needs::Diagnostics, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            let actions = ide::code_actions::code_actions(
                &analysis.doc,
                analysis.diagnostics(),
                map.text_range(range),
                filter,
            );
            actions
                .into_iter()
                .map(|action| lsp_code_action(analysis, context, &map, action))
                .collect::<Vec<_>>()
        })
        .await?;
    Ok(response)
}

pub(super) async fn execute_command(
    backend: &Backend,
    params: lsp::ExecuteCommandParams,
) -> jsonrpc::Result<Option<Value>> {
    if params.command != REVEAL_POSITION {
        return Err(jsonrpc::Error::invalid_params(format!("unknown command `{}`", params.command)));
    }
    let parsed = match params.arguments.as_slice() {
        [uri, position] => serde_json::from_value::<lsp::Uri>(uri.clone())
            .ok()
            .zip(serde_json::from_value::<lsp::Position>(position.clone()).ok()),
        _ => None,
    };
    let Some((uri, position)) = parsed else {
        return Err(jsonrpc::Error::invalid_params(format!("{REVEAL_POSITION} takes a URI and a position")));
    };
    let show = lsp::ShowDocumentParams {
        uri,
        external: Some(false),
        take_focus: Some(true),
        selection: Some(lsp::Range::new(position, position)),
    };
    if let Err(err) = backend.client.show_document(show).await {
        tracing::warn!("window/showDocument failed: {}", err.message);
    }
    Ok(None)
}

pub(super) async fn document_symbol(
    backend: &Backend,
    params: lsp::DocumentSymbolParams,
) -> jsonrpc::Result<Option<lsp::DocumentSymbolResponse>> {
    let uri = params.text_document.uri;
    backend
        .with_analysis(&uri, "documentSymbol", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            let symbols = ide::structure::document_symbols(&analysis.doc);
            convert::symbols(&map, &context.uri, symbols, context.support.hierarchical_symbols)
        })
        .await
}

pub(super) async fn folding_range(
    backend: &Backend,
    params: lsp::FoldingRangeParams,
) -> jsonrpc::Result<Option<Vec<lsp::FoldingRange>>> {
    let uri = params.text_document.uri;
    backend
        .with_analysis(&uri, "foldingRange", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            convert::folding_ranges(&map, ide::structure::folding_ranges(&analysis.doc))
        })
        .await
}

pub(super) async fn document_link(
    backend: &Backend,
    params: lsp::DocumentLinkParams,
) -> jsonrpc::Result<Option<Vec<lsp::DocumentLink>>> {
    let uri = params.text_document.uri;
    backend
        .with_analysis(&uri, "documentLink", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            convert::document_links(&map, ide::structure::document_links(&analysis.doc))
        })
        .await
}

pub(super) async fn semantic_tokens_full(
    backend: &Backend,
    params: lsp::SemanticTokensParams,
) -> jsonrpc::Result<Option<lsp::SemanticTokensResult>> {
    let uri = params.text_document.uri;
    let tokens = backend
        .with_analysis(&uri, "semanticTokens", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            let tokens = ide::semantic_tokens::semantic_tokens(&analysis.doc, None);
            lsp::SemanticTokensResult::Tokens(lsp::SemanticTokens {
                result_id: None,
                data: convert::semantic_tokens(&map, &tokens),
            })
        })
        .await?;
    Ok(tokens)
}

pub(super) async fn semantic_tokens_range(
    backend: &Backend,
    params: lsp::SemanticTokensRangeParams,
) -> jsonrpc::Result<Option<lsp::SemanticTokensRangeResult>> {
    let uri = params.text_document.uri;
    let range = params.range;
    let tokens = backend
        .with_analysis(&uri, "semanticTokens", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            let tokens = ide::semantic_tokens::semantic_tokens(&analysis.doc, Some(map.text_range(range)));
            lsp::SemanticTokensRangeResult::Tokens(lsp::SemanticTokens {
                result_id: None,
                data: convert::semantic_tokens(&map, &tokens),
            })
        })
        .await?;
    Ok(tokens)
}

pub(super) async fn inlay_hint(
    backend: &Backend,
    params: lsp::InlayHintParams,
) -> jsonrpc::Result<Option<Vec<lsp::InlayHint>>> {
    let uri = params.text_document.uri;
    let range = params.range;
    backend
        .with_analysis(&uri, "inlayHint", Needs::Model, |analysis, context| {
            let map = LineMap::new(&analysis.rope, context.encoding);
            let hints =
                ide::inlay_hints::inlay_hints(&analysis.doc, map.text_range(range), context.inlay_hints);
            convert::inlay_hints(&map, hints)
        })
        .await
}

fn lsp_code_action(
    analysis: &Model,
    context: &Context,
    map: &LineMap<'_>,
    action: ide::code_actions::Action,
) -> lsp::CodeActionOrCommand {
    use ide::code_actions::ActionKind;
    let kind = match action.kind {
        ActionKind::QuickFix | ActionKind::Suppress => lsp::CodeActionKind::QUICKFIX,
        ActionKind::RenumberNotes => lsp::CodeActionKind::new(RENUMBER_KIND),
    };
    let diagnostics = action.diagnostic.map(|idx| {
        vec![convert::diagnostic(map, &context.uri, &analysis.diagnostics()[idx], &context.support)]
    });
    let command = action.cursor.filter(|_| context.support.show_document).map(|cursor| {
        let position = convert::position_after_edits(&analysis.rope, &action.edits, cursor, context.encoding);
        lsp::Command {
            title: "Go to the new note".to_owned(),
            command: REVEAL_POSITION.to_owned(),
            arguments: Some(vec![json!(context.uri.as_str()), json!(position)]),
        }
    });
    lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
        title: action.title,
        kind: Some(kind),
        diagnostics,
        edit: Some(convert::workspace_edit(
            map,
            &context.uri,
            context.version,
            &action.edits,
            &context.support,
        )),
        command,
        is_preferred: action.preferred.then_some(true),
        disabled: None,
        data: None,
    })
}

/// Which action families a `context.only` list asks for.
fn action_filter(only: Option<&[lsp::CodeActionKind]>) -> ide::code_actions::ActionFilter {
    let Some(only) = only else { return ide::code_actions::ActionFilter::default() };
    let wants = |kind: &str| {
        only.iter().any(|requested| {
            let requested = requested.as_str();
            kind == requested || kind.starts_with(&format!("{requested}."))
        })
    };
    ide::code_actions::ActionFilter { quick_fixes: wants("quickfix"), source: wants(RENUMBER_KIND) }
}
