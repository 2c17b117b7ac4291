//! `plansmith lsp`: a language server over standard input and output for plans, `.smithy` and
//! `.mmd` files. A front end like the CLI: it runs the `check` pipeline on the workspace and the
//! editor's buffers and turns its data (diagnostics, the model, plans) into the protocol's;
//! it decides nothing about what is wrong with a plan.

mod navigate;
mod position;
mod symbols;
mod workspace;

use crate::diagnostic::{Diagnostic, Severity};
use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, DocumentSymbolRequest, GotoDefinition, HoverRequest, Request as _,
};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, CodeDescription, DiagnosticRelatedInformation,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, DocumentSymbolParams,
    DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse, HoverParams,
    HoverProviderCapability, InitializeParams, Location, NumberOrString, OneOf,
    PublishDiagnosticsParams, ServerCapabilities, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, TextEdit, Url, WorkspaceEdit,
};
use position::LineIndex;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};
use workspace::{WholeCheck, Workspace};

/// How long the author pauses typing before the whole workspace is checked again.
const PAUSE: Duration = Duration::from_millis(1000);

/// Serves one client on standard input and output until it asks the server to exit.
pub fn run() -> anyhow::Result<()> {
    let (connection, io_threads) = Connection::stdio();
    let params: InitializeParams =
        serde_json::from_value(connection.initialize(serde_json::to_value(capabilities())?)?)?;
    let root = root_folder(&params)?;
    // Identities are relative to the working directory, as for `check` run in the root.
    std::env::set_current_dir(&root)?;
    let (checked_sender, checked) = crossbeam_channel::unbounded();
    let workspace = Workspace::load(&root);
    let everything: Vec<String> = workspace
        .files_with_findings()
        .map(str::to_string)
        .collect();
    let mut server = Server {
        workspace,
        connection,
        edited: BTreeSet::new(),
        saved: BTreeSet::new(),
        stale: false,
        whole_check_due: None,
        checking: false,
        checked_sender,
        checked,
    };
    server.publish(everything)?;
    server.serve()?;
    drop(server);
    io_threads.join()?;
    Ok(())
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}

/// The folder to check: the first workspace folder, else the root URI, else the working
/// directory.
#[allow(deprecated)] // `root_uri` is what older clients send
fn root_folder(params: &InitializeParams) -> anyhow::Result<PathBuf> {
    let uri = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| &folder.uri)
        .or(params.root_uri.as_ref());
    match uri.and_then(|uri| uri.to_file_path().ok()) {
        Some(path) => Ok(path),
        None => Ok(std::env::current_dir()?),
    }
}

struct Server {
    connection: Connection,
    workspace: Workspace,
    /// Documents changed since the last publication: always published, even unchanged.
    edited: BTreeSet<String>,
    /// Documents saved since the last whole check: published once it is done.
    saved: BTreeSet<String>,
    /// Whether buffers changed since the last check.
    stale: bool,
    /// When the next whole check is to start: after a pause in typing, at once after a save.
    whole_check_due: Option<Instant>,
    /// Whether a whole check runs (one at a time).
    checking: bool,
    checked_sender: Sender<Option<WholeCheck>>,
    /// Whole checks done, from their thread (None when one failed).
    checked: Receiver<Option<WholeCheck>>,
}

impl Server {
    fn serve(&mut self) -> anyhow::Result<()> {
        loop {
            let due = match self.whole_check_due {
                Some(due) if !self.checking => crossbeam_channel::at(due),
                _ => crossbeam_channel::never(),
            };
            crossbeam_channel::select! {
                recv(self.connection.receiver) -> message => {
                    let Ok(message) = message else {
                        return Ok(());
                    };
                    if !self.handle(message)? {
                        return Ok(());
                    }
                    // What else has arrived is taken before checking, so a burst of keystrokes
                    // costs one check.
                    while let Ok(message) = self.connection.receiver.try_recv() {
                        if !self.handle(message)? {
                            return Ok(());
                        }
                    }
                    self.settle()?;
                }
                recv(self.checked) -> whole => self.adopt(whole.ok().flatten())?,
                recv(due) -> _ => self.start_whole_check()?,
            }
        }
    }

    /// Starts a whole check of the documents as they are now on a thread of its own (with a
    /// thread pool of its own, so that the checks of edits meanwhile do not wait for it).
    fn start_whole_check(&mut self) -> anyhow::Result<()> {
        let snapshot = self.workspace.snapshot();
        let sender = self.checked_sender.clone();
        std::thread::Builder::new()
            .name("whole check".to_string())
            .spawn(move || {
                let whole = std::panic::catch_unwind(move || match rayon::ThreadPoolBuilder::new()
                    .num_threads(1)
                    .build()
                {
                    Ok(pool) => pool.install(|| snapshot.check()),
                    Err(_) => snapshot.check(),
                });
                // The server may have stopped meanwhile: then nobody waits for it.
                let _ = sender.send(whole.ok());
            })?;
        self.checking = true;
        self.whole_check_due = None;
        Ok(())
    }

    /// A whole check is done: its findings replace the edits' and what changed is published,
    /// unless the documents changed since it started (a later one will follow the changes).
    fn adopt(&mut self, whole: Option<WholeCheck>) -> anyhow::Result<()> {
        self.checking = false;
        let Some(changed) = whole.and_then(|whole| self.workspace.adopt(whole)) else {
            return Ok(());
        };
        self.edited.append(&mut self.saved);
        self.publish(changed)
    }

    /// Handles one message; false once the client has shut the server down.
    fn handle(&mut self, message: Message) -> anyhow::Result<bool> {
        match message {
            Message::Request(request) => {
                if self.connection.handle_shutdown(&request)? {
                    return Ok(false);
                }
                // Answers come from the buffers as they are now.
                self.settle()?;
                let response = self.answer(request);
                self.connection.sender.send(response.into())?;
            }
            Message::Notification(notification) => self.notice(notification),
            Message::Response(_) => {}
        }
        Ok(true)
    }

    fn notice(&mut self, notification: Notification) {
        let method = notification.method.clone();
        let changed = match method.as_str() {
            DidOpenTextDocument::METHOD => parse::<DidOpenTextDocumentParams>(notification)
                .and_then(|params| {
                    let identity = self.workspace.identity(&params.text_document.uri)?;
                    let read = self
                        .workspace
                        .set_buffer(&identity, params.text_document.text);
                    Some((identity, read))
                }),
            DidChangeTextDocument::METHOD => parse::<DidChangeTextDocumentParams>(notification)
                .and_then(|params| {
                    let identity = self.workspace.identity(&params.text_document.uri)?;
                    let mut text = self.workspace.text(&identity)?.into_owned();
                    for change in params.content_changes {
                        match change.range {
                            Some(range) => {
                                let index = LineIndex::new(&text);
                                let (start, end) =
                                    (index.offset(range.start), index.offset(range.end));
                                text.replace_range(start..end.max(start), &change.text);
                            }
                            None => text = change.text,
                        }
                    }
                    let read = self.workspace.set_buffer(&identity, text);
                    Some((identity, read))
                }),
            DidSaveTextDocument::METHOD => parse::<DidSaveTextDocumentParams>(notification)
                .and_then(|params| {
                    let identity = self.workspace.identity(&params.text_document.uri)?;
                    let read = self.workspace.reread(&identity);
                    Some((identity, read))
                }),
            DidCloseTextDocument::METHOD => parse::<DidCloseTextDocumentParams>(notification)
                .and_then(|params| {
                    let identity = self.workspace.identity(&params.text_document.uri)?;
                    let read = self.workspace.close(&identity);
                    Some((identity, read))
                }),
            _ => None,
        };
        if let Some((identity, read)) = changed {
            self.stale |= read;
            if read {
                self.edited.insert(identity.clone());
            }
            if method == DidSaveTextDocument::METHOD {
                self.saved.insert(identity);
                self.whole_check_due = Some(Instant::now());
            } else if read {
                self.whole_check_due = Some(Instant::now() + PAUSE);
            }
        }
    }

    /// Checks the changed files and the dependencies at once if buffers changed, and
    /// publishes what changed.
    fn settle(&mut self) -> anyhow::Result<()> {
        if !self.stale {
            return Ok(());
        }
        self.stale = false;
        let changed = self.workspace.recheck_changed();
        self.publish(changed)
    }

    /// Sends the diagnostics of the given files, and of edited documents.
    fn publish(&mut self, changed: Vec<String>) -> anyhow::Result<()> {
        let mut sends: BTreeSet<String> = std::mem::take(&mut self.edited);
        sends.extend(changed);
        for path in sends {
            let Some(uri) = self.workspace.uri(&path) else {
                continue;
            };
            let diagnostics = self.convert_all(&path, self.workspace.findings(&path));
            let params = PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: None,
            };
            self.connection
                .sender
                .send(Notification::new(PublishDiagnostics::METHOD.to_string(), params).into())?;
        }
        Ok(())
    }

    fn convert_all(&self, path: &str, diagnostics: &[Diagnostic]) -> Vec<lsp_types::Diagnostic> {
        let text = self.workspace.text(path).unwrap_or_default();
        let index = LineIndex::new(&text);
        diagnostics
            .iter()
            .map(|d| self.convert(&index, d))
            .collect()
    }

    /// A diagnostic in the protocol's terms: the same code, severity and message; the help and
    /// the related places as related information.
    fn convert(&self, index: &LineIndex<'_>, diagnostic: &Diagnostic) -> lsp_types::Diagnostic {
        let range = index.range(diagnostic.span);
        let mut related = Vec::new();
        if let (Some(help), Some(uri)) = (&diagnostic.help, self.workspace.uri(&diagnostic.path)) {
            related.push(DiagnosticRelatedInformation {
                location: Location { uri, range },
                message: format!("help: {help}"),
            });
        }
        for place in &diagnostic.related {
            let Some(uri) = self.workspace.uri(&place.path) else {
                continue;
            };
            let text = self.workspace.text(&place.path).unwrap_or_default();
            related.push(DiagnosticRelatedInformation {
                location: Location {
                    uri,
                    range: LineIndex::new(&text).range(place.span),
                },
                message: place.message.clone(),
            });
        }
        lsp_types::Diagnostic {
            range,
            severity: Some(match diagnostic.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
                Severity::Note => DiagnosticSeverity::INFORMATION,
            }),
            code: Some(NumberOrString::String(diagnostic.code.to_string())),
            code_description: Url::parse(&crate::docs::help_uri(diagnostic.code.as_str()))
                .ok()
                .map(|href| CodeDescription { href }),
            source: Some("plansmith".to_string()),
            message: diagnostic.message.clone(),
            related_information: (!related.is_empty()).then_some(related),
            ..lsp_types::Diagnostic::default()
        }
    }

    fn answer(&self, request: Request) -> Response {
        let id = request.id.clone();
        let method = request.method.clone();
        let result = match method.as_str() {
            HoverRequest::METHOD => parse_request::<HoverParams>(request).map(|params| {
                let at = params.text_document_position_params;
                let hover = self
                    .document(&at.text_document.uri)
                    .and_then(|(identity, text)| {
                        navigate::shape_at(
                            &self.workspace.checked.model,
                            &identity,
                            &text,
                            at.position,
                        )
                        .map(|shape| navigate::hover(&shape))
                    });
                serde_json::to_value(hover)
            }),
            GotoDefinition::METHOD => {
                parse_request::<GotoDefinitionParams>(request).map(|params| {
                    let at = params.text_document_position_params;
                    let found =
                        self.document(&at.text_document.uri)
                            .and_then(|(identity, text)| {
                                let model = &self.workspace.checked.model;
                                match navigate::shape_at(model, &identity, &text, at.position) {
                                    Some(shape) => navigate::definition(&self.workspace, &shape),
                                    None => navigate::link_target(
                                        &self.workspace,
                                        &identity,
                                        &text,
                                        at.position,
                                    ),
                                }
                            });
                    serde_json::to_value(found.map(GotoDefinitionResponse::Scalar))
                })
            }
            DocumentSymbolRequest::METHOD => {
                parse_request::<DocumentSymbolParams>(request).map(|params| {
                    let symbols = self
                        .document(&params.text_document.uri)
                        .map(|(identity, text)| self.symbols(&identity, &text));
                    serde_json::to_value(symbols.map(DocumentSymbolResponse::Nested))
                })
            }
            CodeActionRequest::METHOD => parse_request::<CodeActionParams>(request)
                .map(|params| serde_json::to_value(self.code_actions(&params))),
            _ => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("plansmith does not answer {method}"),
                )
            }
        };
        match result {
            Some(Ok(value)) => Response::new_ok(id, value),
            Some(Err(error)) => response_error(id, error.to_string()),
            None => response_error(id, "invalid parameters".to_string()),
        }
    }

    /// The identity and current text of a document under the root.
    fn document(&self, uri: &Url) -> Option<(String, String)> {
        let identity = self.workspace.identity(uri)?;
        let text = self.workspace.text(&identity)?.into_owned();
        Some((identity, text))
    }

    fn symbols(&self, identity: &str, text: &str) -> Vec<lsp_types::DocumentSymbol> {
        let checked = &self.workspace.checked;
        let (sections, blocks) = match checked
            .plans
            .binary_search_by(|p| p.path.as_str().cmp(identity))
        {
            Ok(i) => (&checked.plans[i].sections[..], &checked.plans[i].blocks[..]),
            Err(_) => match checked.files.iter().find(|f| f.source.path == identity) {
                Some(file) => (&[][..], std::slice::from_ref(file)),
                None => (&[][..], &[][..]),
            },
        };
        symbols::document_symbols(text, identity, sections, blocks, &checked.model)
    }

    /// A quick fix for each diagnostic in the range that carries a replacement.
    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some((identity, text)) = self.document(uri) else {
            return Vec::new();
        };
        let index = LineIndex::new(&text);
        let wanted = params.range;
        self.workspace
            .findings(&identity)
            .iter()
            .filter_map(|diagnostic| {
                let fix = diagnostic.fix.as_ref()?;
                let range = index.range(diagnostic.span);
                if range.start > wanted.end || wanted.start > range.end {
                    return None;
                }
                let edit_range = index.range(fix.span);
                let title = if edit_range.start == edit_range.end {
                    format!("Insert `{}`", fix.replacement.trim())
                } else {
                    format!("Replace with `{}`", fix.replacement)
                };
                let edit = TextEdit {
                    range: edit_range,
                    new_text: fix.replacement.clone(),
                };
                Some(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![self.convert(&index, diagnostic)]),
                    edit: Some(WorkspaceEdit {
                        changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                        ..WorkspaceEdit::default()
                    }),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                }))
            })
            .collect()
    }
}

fn parse<P: serde::de::DeserializeOwned>(notification: Notification) -> Option<P> {
    serde_json::from_value(notification.params).ok()
}

fn parse_request<P: serde::de::DeserializeOwned>(request: Request) -> Option<P> {
    serde_json::from_value(request.params).ok()
}

fn response_error(id: RequestId, message: String) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, message)
}
