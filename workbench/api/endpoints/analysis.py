"""The analysis of a document by TM match band, for quoting and planning."""

from ninja import Router
from ninja.errors import HttpError

from workbench.memory.analysis import changed_since, latest_analysis

from ..access import document_for
from ..schemas import AnalysisOut

router = Router(tags=["analysis"])


@router.get(
    "/projects/{slug}/documents/{document_id}/analysis",
    response=AnalysisOut,
    summary="The document's latest analysis by TM match band",
    description="Segments, words and characters per band (101%, repetitions, 100%, 95–99%, "
    "85–94%, 75–84%, no match) and the total. It runs by itself after an import; a manager "
    "runs it again from the document's analysis page. 404 until the first one is done.",
)
def get_document_analysis(request, slug: str, document_id: int):
    document, _ = document_for(request, slug, document_id, "analysis.view")
    analysis = latest_analysis(document.project, document)
    if analysis is None:
        raise HttpError(
            404, "The document has not been analysed yet; it is analysed after its import."
        )
    analysis.documents_changed_since = changed_since(analysis)
    return analysis
