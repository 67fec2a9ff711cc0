"""The words of `kit report` (report.yaml): its headings, sentences and column names, per language."""

from __future__ import annotations

from .fields import Model, Text


class ReportTexts(Model):
    """The words of the reach report in one language (see kit/knowledge/report.yaml for what each says)."""

    title: Text
    subtitle: Text
    period: Text
    no_data: Text
    this_language: Text
    on_this_page: Text
    figures: Text
    scans: Text
    places: Text
    after: Text
    typed: Text
    devices: Text
    how: Text
    how_scan: Text
    how_left_out: Text
    how_bots: Text
    how_privacy: Text
    how_days: Text
    time: Text
    by_day: Text
    by_week: Text
    by_venue_type: Text
    by_departement: Text
    by_city: Text
    by_document: Text
    by_layout: Text
    by_lang: Text
    by_level: Text
    top_places: Text
    no_places: Text
    no_places_text: Text
    after_heading: Text
    after_text: Text
    typed_heading: Text
    typed_text: Text
    unknown_heading: Text
    unknown_text: Text
    lines_heading: Text
    col_day: Text
    col_week: Text
    col_venue_type: Text
    col_departement: Text
    col_city: Text
    col_document: Text
    col_layout: Text
    col_lang: Text
    col_level: Text
    col_scans: Text
    col_place: Text
    col_page: Text
    col_views: Text
    col_visits: Text
    col_code: Text
    col_what: Text
    col_count: Text
    numbers: Text
    csv: Text
    more: Text
    none: Text
    not_given: Text
    others: Text
    level_standard: Text
    level_falc: Text
    chart_desc: Text
    chart_dashed: Text
    line_read: Text
    line_unreadable: Text
    line_bots: Text
    line_head: Text
    line_not_found: Text
    line_other_status: Text
    line_repeats: Text
    line_not_a_page: Text
    line_no_agent: Text
    line_unknown: Text
    footer: Text


class FeedbackReportTexts(Model):
    """The words of the feedback page (feedback.html of `kit report --feedback`) in one language."""

    title: Text
    summary: Text
    understood: Text
    understood_caption: Text
    questions_csv: Text
    improve: Text
    improve_caption: Text
    improve_csv: Text
    per_event: Text
    per_place: Text
    per_caption: Text
    per_csv: Text
    unknown: Text
    unknown_caption: Text
    open_questions: Text
    comments: Text
    none: Text
    reading: Text
    reading_text: Text
    chart_text: Text
    col_question: Text
    col_question_id: Text
    col_answers: Text
    col_understood: Text
    col_not_understood: Text
    col_share: Text
    col_event: Text
    col_place: Text
    col_say_no: Text
    col_code: Text
    no_event: Text  # answers without an event code
    unknown_event: Text  # answers whose event code matches no event
    not_given: Text  # answers that do not say the kind of place
    masked_email: Text  # stands for an e-mail address taken out of a comment
    masked_phone: Text  # stands for a phone number taken out of a comment


class ReportFile(Model):
    report: dict[str, ReportTexts] = {}
    feedback: dict[str, FeedbackReportTexts] = {}  # the words of the feedback page, per language
