"""``plancheck lsp``: the rule language's server for editors, over stdio, on pygls.

Each open or changed rule file is checked as ``rules check`` and ``rules lint`` would check
it, with the same messages (:mod:`validator.authoring.language`); hover, completion, go to
definition, formatting (``rules fmt``) and a code lens per rule that runs its cases
(the command ``plancheck.runCases``) answer from the same analysis.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from validator import __version__
from validator.authoring.cases import run_cases
from validator.authoring.language import Document, pack_paths
from validator.core.errors import InputError
from validator.core.i18n import N_, _, render
from validator.rulelang.formatting import format_text

RUN_CASES = "plancheck.runCases"
_KINDS = {"attribute": types.CompletionItemKind.Field,
          "function": types.CompletionItemKind.Function,
          "parameter": types.CompletionItemKind.Constant,
          "keyword": types.CompletionItemKind.Keyword,
          "code": types.CompletionItemKind.EnumMember,
          "variable": types.CompletionItemKind.Variable}


class RulesServer(LanguageServer):
    """The server, with the last analysis of each document (hover and completion use the
    rule set of the last check)."""

    def __init__(self, lang: str) -> None:
        super().__init__("plancheck", __version__)
        self.lang = lang
        self.documents: dict[str, Document] = {}

    def document(self, uri: str) -> Document:
        text = self.workspace.get_text_document(uri).source
        found = self.documents.get(uri)
        if found is None or found.text != text:
            previous = found
            found = Document(to_fs_path(uri) or uri, text)
            found.check(self.lang, with_lint=False)
            self.keep(uri, found, previous)
        return found

    def keep(self, uri: str, document: Document, previous: Document | None) -> None:
        """Remember a document's analysis; while it does not load (half typed), its names
        come from the last rule set that did."""
        if document.ruleset is None and previous is not None:
            document.ruleset = previous.ruleset
        self.documents[uri] = document

    def publish(self, uri: str) -> None:
        text = self.workspace.get_text_document(uri).source
        document = Document(to_fs_path(uri) or uri, text)
        found = document.check(self.lang)
        self.keep(uri, document, self.documents.get(uri))
        diagnostics = [types.Diagnostic(
            range=_range(d.line, d.character, document),
            message=d.message, source="plancheck", code=d.code,
            severity=types.DiagnosticSeverity.Error if d.severity == "error"
            else types.DiagnosticSeverity.Warning) for d in found]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, diagnostics=diagnostics))


def _range(line: int, character: int, document: Document) -> types.Range:
    """From the problem's place to the end of its word (or one character)."""
    _word, start, end = document.word_at(line, character)
    end = end if start == character and end > start else character + 1
    return types.Range(types.Position(line, character), types.Position(line, end))


def make_server(lang: str = "en") -> RulesServer:
    server = RulesServer(lang)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: RulesServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: RulesServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: RulesServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: RulesServer, params: types.HoverParams) -> types.Hover | None:
        text = ls.document(params.text_document.uri).hover(params.position.line,
                                                           params.position.character)
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                                        value=text))

    @server.feature(types.TEXT_DOCUMENT_COMPLETION,
                    types.CompletionOptions(trigger_characters=[".", '"']))
    def completion(ls: RulesServer, params: types.CompletionParams) -> types.CompletionList:
        items = ls.document(params.text_document.uri).complete(params.position.line,
                                                               params.position.character)
        return types.CompletionList(is_incomplete=False, items=[
            types.CompletionItem(label=c.label, kind=_KINDS[c.kind], detail=c.detail or None)
            for c in items])

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: RulesServer, params: types.DefinitionParams) -> types.Location | None:
        found = ls.document(params.text_document.uri).definition(params.position.line,
                                                                 params.position.character)
        if found is None:
            return None
        at = types.Position(found.line, found.character)
        return types.Location(uri=from_fs_path(found.path) or found.path,
                              range=types.Range(at, at))

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(ls: RulesServer,
                   params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        try:
            formatted = format_text(document.source, document.path)
        except InputError:
            return None  # the diagnostics say why
        if formatted == document.source:
            return []
        lines = document.source.splitlines()
        end = types.Position(len(lines), 0)
        return [types.TextEdit(range=types.Range(types.Position(0, 0), end),
                               new_text=formatted)]

    @server.feature(types.TEXT_DOCUMENT_CODE_LENS)
    def code_lens(ls: RulesServer, params: types.CodeLensParams) -> list[types.CodeLens]:
        uri = params.text_document.uri
        document = ls.document(uri)
        return [types.CodeLens(
            range=types.Range(types.Position(line, 0), types.Position(line, 5)),
            command=types.Command(title=_("run the cases of {rule}", rule=rule_id).render(ls.lang),
                                  command=RUN_CASES,
                                  arguments=[uri, rule_id]))
            for line, rule_id in document.rule_lines()]

    @server.command(RUN_CASES)
    def run_rule_cases(ls: RulesServer, uri: str, rule_id: str) -> dict[str, Any]:
        return cases_summary(to_fs_path(uri) or uri, rule_id, ls)

    return server


def cases_summary(path: str, rule_id: str, ls: RulesServer | None = None) -> dict[str, Any]:
    """Run one rule's cases (in the pack of ``path``): what the command returns and shows."""
    lang = ls.lang if ls is not None else "en"
    try:
        outcomes = run_cases(tuple(pack_paths(Path(path))), {rule_id})
    except InputError as exc:
        result: dict[str, Any] = {"rule": rule_id, "passed": 0, "failed": 0,
                                  "error": exc.render(lang)}
    else:
        failed = [o for o in outcomes if not o.ok]
        result = {"rule": rule_id, "passed": len(outcomes) - len(failed),
                  "failed": len(failed),
                  "failures": [f"{o.name}: {o.where()}: {render(o.detail, lang)}"
                               for o in failed]}
    if ls is not None:
        text = result.get("error") or N_(
            "{rule}: {n} case passed, {failed} failed", "{rule}: {n} cases passed, {failed} failed",
            result["passed"], rule=rule_id, failed=result["failed"]).render(lang)
        ls.window_show_message(types.ShowMessageParams(
            type=types.MessageType.Info if not result.get("failed") and "error" not in result
            else types.MessageType.Warning, message=text))
    return result


def serve(lang: str = "en") -> None:
    """Serve over stdin and stdout until the editor exits."""
    make_server(lang).start_io()
