"""plancheck lsp in a real client session: pygls' language client starts ``python -m
validator lsp`` and speaks JSON-RPC to it over stdio, as an editor does."""

from __future__ import annotations

import asyncio
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

TIMEOUT = 120  # a rule set compiles in seconds; the shared machine can be slow


class Session:
    """A client, its server process and the diagnostics it was sent."""

    def __init__(self) -> None:
        self.client = LanguageClient("plancheck-test", "1")
        self.diagnostics: dict[str, list[types.Diagnostic]] = {}
        self.messages: list[str] = []
        self.arrived = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def diagnostics(params: types.PublishDiagnosticsParams) -> None:
            self.diagnostics[params.uri] = params.diagnostics
            self.arrived.set()

        @self.client.feature(types.WINDOW_SHOW_MESSAGE)
        def show(params: types.ShowMessageParams) -> None:
            self.messages.append(params.message)

    async def start(self, root: Path) -> None:
        await self.client.start_io(sys.executable, "-m", "validator", "lsp", "--lang", "en")
        await self.client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(), root_uri=from_fs_path(str(root))))
        self.client.initialized(types.InitializedParams())

    async def wait(self, uri: str) -> list[types.Diagnostic]:
        self.arrived.clear()
        while True:
            await asyncio.wait_for(self.arrived.wait(), TIMEOUT)
            self.arrived.clear()
            if uri in self.diagnostics:
                return self.diagnostics.pop(uri)

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        await self.client.stop()


def _at(text: str, needle: str, offset: int = 0) -> types.Position:
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    return types.Position(line, index - (text.rfind("\n", 0, index) + 1))


def test_a_client_session(tmp_path):
    pack = tmp_path / "mpi2013"
    shutil.copytree(ROOT / "rules" / "mpi2013", pack)
    path = pack / "smart.rules"
    text = path.read_text(encoding="utf-8")
    uri = from_fs_path(str(path))
    asyncio.run(asyncio.wait_for(_session(pack, path, text, uri), 6 * TIMEOUT))


async def _session(pack: Path, path: Path, text: str, uri: str) -> None:
    session = Session()
    await session.start(pack)
    client = session.client
    try:
        # diagnostics as you type: a type error, then fixed
        wrong = text.replace("require t.unit is present and t.target is present",
                             "require t.unit > 5", 1)
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="plancheck-rules", version=1,
                                   text=wrong)))
        found = await session.wait(uri)
        assert [d.message for d in found] == [
            "cannot compare a text (t.unit) with a number (5): '>' would never be true; did "
            "you mean unit_kind(t.unit)?"]
        assert found[0].range.start == _at(wrong, "t.unit > 5")
        assert found[0].severity == types.DiagnosticSeverity.Error

        typo = text.replace("  require t.unit is present and", "  requre t.unit is present and")
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=typo)]))
        found = await session.wait(uri)
        assert len(found) == 1 and "did you mean 'require'?" in found[0].message

        lint = text.replace("require t.unit is present and t.target is present",
                            "require count(u in t.plan.targets) is present", 1)
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=lint)]))
        found = await session.wait(uri)
        assert [(d.code, d.severity) for d in found] == [
            ("constant-condition", types.DiagnosticSeverity.Warning)]

        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=4),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        assert list(await session.wait(uri)) == []

        doc = types.TextDocumentIdentifier(uri=uri)

        async def hover(needle: str, offset: int = 1) -> str:
            found = await client.text_document_hover_async(types.HoverParams(
                doc, _at(text, needle, offset)))
            assert found is not None, needle
            return found.contents.value

        assert "contains_any(text, list[text]|text) -> bool" in await hover(
            "contains_any(t.indicator, vague")
        assert "**target.indicator**: `text?`" in await hover("indicator, vague_words", 2)
        param = await hover("vague_words)", 2)
        assert "**parameter vague_words**" in param and "params.rules:" in param
        title = await hover("rule SMART-R", 7)
        assert "Growth-rate target outside the realistic range" in title
        assert "Chỉ tiêu tốc độ tăng trưởng ngoài khoảng hiện thực" in title

        # completion: attributes after 't.', codes of a scheme, built-ins and parameters
        typing = text.replace('where t.category = "outcome"', 'where t.category = "ou', 1)
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=5),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=typing)]))
        await session.wait(uri)
        codes = await client.text_document_completion_async(types.CompletionParams(
            doc, _at(typing, 'where t.category = "ou', len('where t.category = "ou'))))
        assert {"input", "output", "outcome", "impact"} <= {i.label for i in codes.items}
        attrs = await client.text_document_completion_async(types.CompletionParams(
            doc, _at(typing, "t.indicator, vague", 2)))
        labels = {i.label for i in attrs.items}
        assert {"unit", "baseline", "annual", "compiling_agency"} <= labels
        assert "submitted_on" not in labels  # a plan's, not a target's
        names = await client.text_document_completion_async(types.CompletionParams(
            doc, _at(typing, "contains_any(t.indicator, vague")))
        labels = {i.label for i in names.items}
        assert {"unit_kind", "growth_max", "require", "structure_share"} <= labels
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=6),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))
        await session.wait(uri)

        # go to definition: a parameter in another file
        where = await client.text_document_definition_async(types.DefinitionParams(
            doc, _at(text, "vague_words)", 2)))
        assert where.uri == from_fs_path(str(pack / "params.rules"))
        params = (pack / "params.rules").read_text(encoding="utf-8").splitlines()
        assert params[where.range.start.line].startswith("parameter vague_words")

        # formatting: nothing to do on the formatted pack, one edit on a messy text
        options = types.FormattingOptions(tab_size=2, insert_spaces=True)
        assert list(await client.text_document_formatting_async(
            types.DocumentFormattingParams(doc, options))) == []
        messy = text.replace("require t.unit is present and", "require   t.unit is present  and")
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=7),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=messy)]))
        await session.wait(uri)
        edits = await client.text_document_formatting_async(
            types.DocumentFormattingParams(doc, options))
        assert [e.new_text for e in edits] == [text]
        assert edits[0].range.start == types.Position(0, 0)

        # a code lens per rule, whose command runs the rule's cases
        lenses = await client.text_document_code_lens_async(types.CodeLensParams(doc))
        assert [lens.command.arguments[1] for lens in lenses][:2] == ["SMART-M", "SMART-B"]
        result = await client.workspace_execute_command_async(types.ExecuteCommandParams(
            command=lenses[0].command.command, arguments=lenses[0].command.arguments))
        assert result["rule"] == "SMART-M" and result["failed"] == 0 and result["passed"] >= 2
        await asyncio.sleep(0.2)
        assert any("SMART-M: " in m and "cases passed" in m for m in session.messages)
    finally:
        await session.stop()


def test_definitions_of_concepts_imports_and_lets():
    from validator.authoring.language import Document

    path = ROOT / "rules" / "mpi2013" / "arithmetic.rules"
    text = path.read_text(encoding="utf-8")
    document = Document(path, text)
    document.check(with_lint=False)
    at = _at(text, "is structure_share", 4)
    found = document.definition(at.line, at.character)
    assert found is not None and Path(found.path).name == "concepts.rules"
    lines = Path(found.path).read_text(encoding="utf-8").splitlines()
    assert lines[found.line].startswith("concept structure_share")
    concept = document.hover(at.line, at.character)
    assert "**concept structure_share** (about a target)" in concept


def test_the_vscode_extension_starts_plancheck_lsp():
    import json

    manifest = json.loads((ROOT / "editors" / "vscode" / "package.json").read_text())
    assert manifest["main"] == "./extension.js"
    assert "onLanguage:plancheck-rules" in manifest["activationEvents"]
    script = (ROOT / "editors" / "vscode" / "extension.js").read_text(encoding="utf-8")
    assert '"lsp"' in script and "vscode-languageclient" in json.dumps(
        manifest["dependencies"])
    grammar = manifest["contributes"]["grammars"][0]["path"]
    packaged = (ROOT / "editors" / "vscode" / grammar).resolve()
    assert packaged.parent.parent == (ROOT / "editors" / "vscode").resolve()  # vsce packs it
    assert packaged.read_bytes() == (ROOT / "editors" / "plancheck-rules.tmLanguage.json"
                                     ).read_bytes(), "copy the grammar to editors/vscode/"


@pytest.mark.parametrize("word", ["requre", "wher"])
def test_diagnostics_without_a_client_match_rules_check(tmp_path, word):
    from validator.authoring.language import Document

    path = tmp_path / "x.rules"
    path.write_text("", encoding="utf-8")
    text = ('rule X-1\n  title vi "a" en "b"\n  severity error\n  for each target t\n'
            f"  {word} true\n")
    found = Document(path, text).check()
    assert len(found) == 1 and (found[0].line, found[0].character) == (4, 2)
    assert "did you mean" in found[0].message


def test_hover_on_a_parameter_a_pack_sets_names_its_pack_yaml():
    from validator.authoring.language import Document

    pack = ROOT / "examples" / "packs" / "lao-cai"
    path = pack / "lc-02.rules"
    document = Document(path, path.read_text(encoding="utf-8"))
    document.check(with_lint=False)
    setting = next(iter(document.ruleset.packs[-1].params))  # one pack.yaml sets
    found = Document(ROOT / "rules" / "mpi2013" / "params.rules", "")
    found.ruleset = document.ruleset
    found.lines = [f"  where x > {setting}"]
    hover = found.hover(0, len("  where x > ") + 1)
    assert f"**parameter {setting}**" in hover and str(pack / "pack.yaml") in hover


def test_a_rule_s_cases_are_summed_up_in_the_editor_s_language():
    from validator.cli.lsp import cases_summary

    class Editor:
        def __init__(self, lang: str) -> None:
            self.lang, self.shown = lang, []

        def window_show_message(self, params) -> None:
            self.shown.append(params.message)

    path = str(ROOT / "rules" / "mpi2013" / "smart.rules")
    for lang, words in (("vi", "tình huống đạt, 0 hỏng"), ("en", "cases passed, 0 failed")):
        editor = Editor(lang)
        result = cases_summary(path, "SMART-M", editor)
        assert result["failed"] == 0 and editor.shown == [
            f"SMART-M: {result['passed']} {words}"]
