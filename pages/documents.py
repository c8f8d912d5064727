"""Documents: upload therapeutic material, follow its processing, preview chunks, link to personas."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from luna_core import policy
from luna_core.chat.retrieval import page_label
from luna_core.documents.datasets import ACCESS_LEVELS, Dataset
from luna_core.documents.extract.pdf import page_list
from luna_core.errors import LunaError
from pages import common

ACCESS_LABELS = {"full": "Full text", "summary": "Summary", "reference_only": "Reference only (cite, never send text)"}
STATUS_ICONS = {"completed": "✅", "processing": "⏳", "pending": "🕓", "error": "⚠️"}


def upload_panel() -> None:
    luna, user = common.luna(), common.user()
    st.subheader("Add documents")
    st.caption(f"PDF, Word (.docx), text and Markdown, and scans or phone photos of pages (PDF, PNG, JPEG: read by "
               f"text recognition), up to {luna.settings.max_upload_mb:g} MB each. Files are processed on this "
               "computer and never leave it.")
    # No type filter here: Luna checks every file itself and says what to do with one it cannot read.
    # The browser refuses bigger files before sending them; the service checks again (CLI, API).
    files = st.file_uploader("Therapeutic material", accept_multiple_files=True, key="doc_upload",
                             max_upload_size=max(1, math.ceil(luna.settings.max_upload_mb)))
    personas = luna.personas.list(user)
    names = {p.id: p.name for p in personas}
    left, right = st.columns([2, 1])
    persona_id = left.selectbox("Link to a persona (optional)", [None, *names], key="doc_persona",
                                format_func=lambda pid: "Don't link it yet" if pid is None else names[pid])
    share = right.checkbox("Share with every user", key="doc_global",
                           disabled=user.role not in ("admin", "clinician"),
                           help="Administrators and clinicians can add material every user may use.")
    if files and st.button(f"Process {len(files)} file{'s' if len(files) > 1 else ''}", type="primary"):
        process(files, persona_id, share)


def process(files, persona_id: str | None, share: bool) -> None:
    luna, user = common.luna(), common.user()
    for upload in files:
        bar = st.progress(0.0, text=f"{upload.name}: waiting")

        def progress(stage: str, fraction: float, bar=bar, name=upload.name) -> None:
            bar.progress(min(1.0, fraction), text=f"{name}: {stage} ({fraction:.0%})")

        try:  # refused on its size before its bytes are read
            luna.documents.check_size(upload.name, upload.size)
        except LunaError as error:
            bar.progress(1.0, text=f"{upload.name}: could not be used")
            common.show_error(error)
            continue
        with st.spinner(f"Processing {upload.name}…"):
            result = luna.documents.add_file(user, upload.name, upload.getvalue(), persona_id=persona_id,
                                             is_global=share, progress=progress)
        if result.duplicate:
            bar.progress(1.0, text=f"{upload.name}: already in your library")
            st.info(f"{upload.name} is already in your library as “{result.name}”; it was not processed again.")
        elif result.status == "completed":
            bar.progress(1.0, text=f"{upload.name}: done")
            st.success(f"{upload.name}: {result.chunk_count} passages ready in {result.seconds:.1f} s.")
        else:
            bar.progress(1.0, text=f"{upload.name}: could not be used")
            st.error(f"{upload.name}: {result.error}", icon="⚠️")


def library_table(datasets: list[Dataset]) -> None:
    frame = pd.DataFrame([{
        "Name": d.name, "Type": d.file_type.upper(), "Status": f"{STATUS_ICONS.get(d.status, '')} {d.status}",
        "Shared": "👥 everyone" if d.is_global else "only you", "Pages": str(d.page_count) if d.page_count else "—",
        "Chunks": d.chunk_count, "Size (KB)": round((d.file_size or 0) / 1024, 1),
        "Uploaded": d.upload_date, "Processed": d.processed_date,
    } for d in datasets])
    dates = {name: st.column_config.DatetimeColumn(name, format="YYYY-MM-DD HH:mm") for name in ("Uploaded", "Processed")}
    st.dataframe(frame, hide_index=True, width="stretch", column_config=dates)


def failed_panel(failed: list[Dataset]) -> None:
    """Every file that could not be used, with its whole reason and a way to remove it."""
    st.markdown(f"**{len(failed)} file{'s' if len(failed) != 1 else ''} could not be used**")
    mine = common.user()
    for dataset in failed:
        text, remove = st.columns([6, 1])
        text.error(f"**{dataset.original_filename or dataset.name}**: {dataset.error or 'it could not be processed.'}",
                   icon="⚠️")
        if policy.may(mine, "dataset.change", dataset):
            remove.button("Remove", key=f"doc_remove_{dataset.id}", width="stretch",
                          help="Take this entry out of your library (no file of it is kept)",
                          on_click=remove_failed, args=(dataset.id, dataset.original_filename or dataset.name))


def remove_failed(dataset_id: str, name: str) -> None:
    try:
        common.luna().library.delete(common.user(), dataset_id)
    except LunaError as error:
        st.toast(str(error), icon="⚠️")
        return
    common.flash(f"Removed {name} from the list.")


@st.dialog("Delete document?", on_dismiss=common.close_dialog)
def delete_dialog(dataset: Dataset) -> None:
    common.confirm_delete(
        f"This removes **{dataset.name}** from your library: its {dataset.chunk_count} passages, its links to "
        "personas and Luna's stored copy of the file. Personas stop using it at once.",
        lambda: common.luna().library.delete(common.user(), dataset.id), f"Deleted {dataset.name}.")


def save_link(dataset: Dataset, persona_id: str, persona_name: str) -> None:
    """A link control's callback: the change is saved at once and confirmed."""
    luna, user, key = common.luna(), common.user(), f"{dataset.id}_{persona_id}"
    on, weight, access = (st.session_state[f"ln_{key}"], st.session_state[f"lw_{key}"], st.session_state[f"la_{key}"])
    try:
        luna.library.link(user, dataset.id, persona_id, weight, access, enabled=on)
    except LunaError as error:
        st.toast(str(error), icon="⚠️")
        for widget in ("ln", "lw", "la"):  # show what is stored again, not the refused change
            st.session_state.pop(f"{widget}_{key}", None)
        return
    if on:
        st.toast(f"Saved: {persona_name} uses {dataset.name} ({ACCESS_LABELS[access].split(' (')[0].lower()}, "
                 f"weight {weight:g}).", icon="✅")
    else:
        st.toast(f"Saved: {persona_name} no longer uses {dataset.name}.", icon="✅")


def links_panel(dataset: Dataset) -> None:
    luna, user = common.luna(), common.user()
    current = {link["persona_id"]: link for link in luna.library.links(user, dataset_id=dataset.id)}
    st.markdown("**Personas that use this document**")
    st.caption("Changes are saved as you make them.")
    for persona in luna.personas.list(user):
        link = current.get(persona.id)
        # what every user gets (a shared document on a shared companion) only an administrator changes
        locked = not policy.may(user, "link.change", (persona, dataset))
        key, args = f"{dataset.id}_{persona.id}", (dataset, persona.id, persona.name)
        cols = st.columns([3, 2, 3])
        cols[0].toggle(persona.name, value=bool(link and link["enabled"]), key=f"ln_{key}", disabled=locked,
                       on_change=save_link, args=args,
                       help="Shared with everyone: duplicate the companion to choose its documents yourself."
                       if locked else None)
        cols[1].number_input("Weight", 0.1, 5.0, value=float(link["weight"]) if link else 1.0, step=0.1,
                             key=f"lw_{key}", label_visibility="collapsed", disabled=locked or not link,
                             on_change=save_link, args=args, help="How much this document counts for this companion")
        cols[2].selectbox("Access", ACCESS_LEVELS, format_func=ACCESS_LABELS.get,
                          index=ACCESS_LEVELS.index(link["access_level"]) if link else 0, key=f"la_{key}",
                          label_visibility="collapsed", disabled=locked or not link, on_change=save_link, args=args)


def ocr_notes(dataset: Dataset) -> None:
    """What text recognition did with a document's pictures: pages it read, and pages it could not."""
    meta = dataset.metadata
    read, unreliable, skipped = (meta.get(k) or [] for k in ("ocr_pages", "ocr_unreliable_pages", "pages_needing_ocr"))
    if meta.get("ocr"):
        st.caption(f"🔍 Read from a picture by text recognition ({meta['ocr_confidence']:.0%} confidence). "
                   "Check the passages below: recognition can misread words.")
    elif read:
        st.caption(f"🔍 {pages(read)} read from scans by text recognition; the other pages kept their own text.")
    if unreliable:
        st.warning(f"Luna could not read {pages(unreliable)} reliably, so {'it is' if len(unreliable) == 1 else 'they are'}"
                   " left out. A sharper scan (300 dpi, straight, in good light) would help.", icon="🔍")
    if skipped:
        st.warning(f"{pages(skipped)} {'is a scan' if len(skipped) == 1 else 'are scans'} and left out: text "
                   "recognition (Tesseract) is not installed on this computer.", icon="🔍")


def pages(numbers: list[int]) -> str:
    return page_list(numbers).capitalize()


def detail(datasets: list[Dataset]) -> None:
    """One usable document: its links and passages. Opens on the newest document that worked."""
    names = common.unique_labels({d.id: f"{STATUS_ICONS.get(d.status, '')} {d.name}" for d in datasets})
    if st.session_state.get("doc_selected") not in names:
        st.session_state["doc_selected"] = datasets[0].id
    chosen = st.selectbox("Document", list(names), format_func=names.get, key="doc_selected")
    dataset = next(d for d in datasets if d.id == chosen)
    if dataset.status == "completed":
        links_panel(dataset)
        ocr_notes(dataset)
        chunks = common.luna().library.chunks(common.user(), dataset.id)
        with st.expander(f"Preview the {len(chunks)} passages Luna uses"):
            for chunk in chunks[:200]:
                read = chunk["ocr_confidence"]
                where = " · ".join(x for x in (page_label(chunk["page_reference"]), chunk["section"],
                                              chunk["chunk_type"],
                                              f"🔍 read by text recognition, {read:.0%} confidence" if read else None)
                                   if x)
                st.caption(f"#{chunk['chunk_index'] + 1} · {where}")
                st.text(chunk["content"])
    else:
        st.info("This document is still being processed.", icon="⏳")
    mine = policy.may(common.user(), "dataset.change", dataset)
    if mine and dataset.status != "processing":
        st.button("🗑️ Delete this document", key="doc_delete", on_click=common.open_dialog,
                  args=("delete_document", dataset.id))
    request = common.dialog_request()
    if request and request[0] == "delete_document" and request[1] == dataset.id:
        delete_dialog(dataset)


def render() -> None:
    common.note_wizard_left()
    st.title("📚 Documents")
    st.caption("Give your companions your own worksheets, handouts and workbooks. Answers that use them "
               "show which document and page they came from.")
    common.show_flash()
    upload_panel()
    datasets = common.luna().library.list(common.user())
    st.subheader("Your library")
    if not datasets:
        st.info("No documents yet. Add a worksheet or handout above to get started.")
        return
    library_table(datasets)
    usable = [d for d in datasets if d.status != "error"]
    if usable:
        detail(usable)
    failed = [d for d in datasets if d.status == "error"]
    if failed:
        failed_panel(failed)


render()
