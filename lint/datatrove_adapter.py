"""A datatrove pipeline step that checks, or fixes, each document with textmend.

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from textmend.datatrove_adapter import TextmendStep

    LocalPipelineExecutor(
        [JsonlReader("in/"), TextmendStep(fix=True), JsonlWriter("out/")], tasks=4
    ).run()

Needs datatrove: pip install 'textmend[datatrove]'.
"""

from __future__ import annotations

try:
    from datatrove.data import DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
    from datatrove.utils.typeshelper import StatHints
except ImportError as error:
    raise ImportError(
        "the datatrove step needs datatrove: pip install 'textmend[datatrove]'"
    ) from error

from textmend.config import Settings
from textmend.document import Document
from textmend.engine import Linter
from textmend.rule import Scope
from textmend.runner import Task, examine

METADATA_KEY = "textmend"
ERROR_KEY = "textmend_error"


def document_linter(settings: Settings) -> Linter:
    """A linter of the selected rules that look at one document at a time."""
    selected = Linter.from_settings(settings)
    return Linter(settings, [rule for rule in selected.rules if rule.scope is Scope.DOCUMENT])


# datatrove ships no type information, so mypy sees its base class as Any
class TextmendStep(PipelineStep):  # type: ignore[misc]
    """Checks each document's text with textmend and, with `fix`, replaces it by the
    text with the fixes applied (the unsafe ones too, with `unsafe_fixes`).

    Each document's findings go to `document.metadata["textmend"]`: a list of the JSON
    objects `textmend check --format json` prints, placed in the text as it leaves the
    step (so, when fixing, the findings no fix removed). A document on which a rule
    fails keeps its text, with the error in `metadata["textmend_error"]`. No document
    is dropped: a filter after this step can do that from the findings.

    Only document-scope rules run. A datatrove step sees its documents one at a time,
    in a stream, across many tasks, while the corpus-scope rules (`textmend rule CODE`
    gives a rule's scope: name variants, duplicate documents, run-together and split
    words, boilerplate repeated across documents) compare every document with
    statistics of the whole corpus, which need a pass over all of it first: run
    `textmend check` or `textmend.ray_engine.check_dataset` for those.

    A document is named by its source file (`metadata["file_path"]`, which datatrove's
    readers add), so that `per-file-ignores` apply, or `<datatrove>`.
    """

    name = "🩹 textmend"
    type = "✂️ - FORMAT"

    def __init__(
        self, settings: Settings | None = None, *, fix: bool = False, unsafe_fixes: bool = False
    ) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.task = Task(fixing=fix, unsafe=unsafe_fixes)

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        # built here, in the process that runs the task, rather than pickled with the step
        linter = document_linter(self.settings)
        for document in data:
            self.stat_update(StatHints.total)
            path = str(document.metadata.get("file_path", "<datatrove>"))
            with self.track_time():
                outcome = examine(linter, Document(document.text, path), self.task)
            if outcome.error is not None:
                self.stat_update("errors")
                document.metadata[ERROR_KEY] = outcome.error
            if outcome.fixed is not None:
                self.stat_update("fixed_documents")
                self.stat_update("fixes", value=outcome.applied)
                document.text = outcome.fixed
            self.stat_update("findings", value=len(outcome.diagnostics))
            document.metadata[METADATA_KEY] = [d.to_json() for d in outcome.diagnostics]
            yield document
