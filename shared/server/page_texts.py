"""The words of the citizen's pages, in Vietnamese first and English second.

Pure: a view in, sentences out; the templates only lay them out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

from shared.core.errors import QueueError
from shared.core.ticket import TicketStatus
from shared.core.ticket_view import TicketView
from shared.languages.catalogue import Catalogue

log = logging.getLogger(__name__)

# A page's language is its code: "vi", "en", or one an office added a catalogue for.
Language = str
STEP_OUT_MINUTES: Final = 10  # the shortest expected wait that "you may step out" suits
STEP_OUT_AHEAD: Final = 5  # without an estimate: this many people ahead

TEXTS: Final[dict[str, str]] = {  # key: Vietnamese (English: shared/languages/en)
    "title": "Theo dõi lượt gọi",
    "your_number": "Số thứ tự của bạn",
    "service": "Dịch vụ",
    "next": "Bạn là người tiếp theo",
    "ahead_one": "Trước bạn còn 1 người",
    "ahead_many": "Trước bạn còn {count} người",
    "unserved": "Hiện chưa có quầy nào phục vụ dịch vụ này — hãy hỏi cán bộ",
    "slot": "Bạn có lịch hẹn lúc {time}: bạn sẽ được gọi từ {time}.",
    "moved": "Hồ sơ của bạn được chuyển từ “{source}” sang “{service}”; bạn giữ nguyên lượt.",
    "sent_to": "Bạn được chuyển đến {counter}; quầy này sẽ gọi bạn.",
    "wait": "Thời gian chờ dự kiến: khoảng {low}–{high} phút.",
    "wait_short": "Thời gian chờ dự kiến: dưới {high} phút.",
    "stay_near": "Hãy ở gần các quầy: sắp đến lượt bạn.",
    "wait_hint": "Bạn có thể ra ngoài một lát; hãy giữ trang này mở và để ý điện thoại.",
    "called": "Đến lượt bạn — mời đến {counter}",
    "recalled": "{counter} đã gọi lại số của bạn {count} lần.",
    "absent": "Bạn đã vắng mặt khi được gọi — hãy đến {counter} trước {time}",
    "absent_late": "Bạn đã vắng mặt khi được gọi — hãy hỏi cán bộ tại {counter}",
    "parked": "Bạn đang bổ sung giấy tờ — khi xong, hãy quay lại {counter}",
    "done": "Đã phục vụ xong. Cảm ơn bạn!",
    "counters": "Các quầy phục vụ dịch vụ này",
    "serving": "đang phục vụ số {number}",
    "free": "đang chờ gọi số",
    "paused": "tạm dừng",
    "closed": "chưa mở",
    "many_counters": "{count} quầy phục vụ dịch vụ này, {open} quầy đang làm việc.",
    "latest": "Các số vừa gọi",
    "no_calls": "Chưa gọi số nào hôm nay.",
    "live": "Trang tự cập nhật, không cần tải lại.",
    "offline": "Mất kết nối với máy chủ của cơ quan — đang thử kết nối lại…",
    "today_only": "Mã này chỉ dùng được trong ngày cấp số.",
    "rate_question": "Bạn đánh giá thế nào về sự phục vụ hôm nay?",
    "very_satisfied": "Rất hài lòng",
    "satisfied": "Hài lòng",
    "dissatisfied": "Không hài lòng",
    "stars": "{count} sao",
    "why": "Vì sao bạn chưa hài lòng? (có thể chọn nhiều)",
    "send": "Gửi đánh giá",
    "thanks": "Cảm ơn bạn đã đánh giá! Ý kiến của bạn giúp cơ quan phục vụ tốt hơn.",
    "anonymous": "Đánh giá không ghi tên hay số điện thoại của bạn.",
    "not_rated_title": "Chưa ghi được đánh giá",
    "back": "Quay lại trang số thứ tự",
    "bad_rating": "Đánh giá không hợp lệ.",
    "refused_not_served": "Chỉ đánh giá được sau khi đã được phục vụ xong.",
    "refused_already_rated": "Số này đã được đánh giá; mỗi số chỉ đánh giá một lần.",
    "refused_bad_level": "Mức đánh giá phải từ 1 đến {scale}.",
    "refused_reasons_not_asked": "Chỉ ghi lý do khi bạn chưa hài lòng.",
    "refused_unknown_reason": "Lý do không có trong danh sách.",
    "refused_stopping": "Máy chủ đang dừng; vui lòng thử lại sau ít phút.",
    "refused_not_saved": "Máy chủ chưa lưu được đánh giá; vui lòng thử lại.",
    "not_found_title": "Không tìm thấy số thứ tự",
    "not_found": "Mã trên vé không đúng, hoặc đã hết hạn: mỗi vé chỉ theo dõi được trong "
                  "ngày cấp số. Hãy kiểm tra lại địa chỉ, hoặc hỏi cán bộ.",
    "too_many_title": "Xin thử lại sau",
    "too_many": "Trang được mở quá nhiều lần từ máy này. Hãy thử lại sau một phút.",
}


def rating_levels(scale: int, language: Language) -> list[tuple[int, str, str]]:
    """(level, what the button shows, what a screen reader says), best first."""
    if scale == 3:
        return [(3, tr("very_satisfied", language), tr("very_satisfied", language)),
                (2, tr("satisfied", language), tr("satisfied", language)),
                (1, tr("dissatisfied", language), tr("dissatisfied", language))]
    return [(n, "★" * n, tr("stars", language, count=n)) for n in range(scale, 0, -1)]


CATALOGUE: Final = Catalogue("pages", TEXTS)


def tr(key: str, language: Language, **values: object) -> str:
    return CATALOGUE.text(key, language, **values)


other_languages = CATALOGUE.others  # (code, its own name) of each one to switch to


def refusal_words(problem: QueueError, language: Language, scale: int) -> str:
    """Why a rating was not stored, in the page's language (its code picks the words)."""
    key = f"refused_{problem.code}"
    return tr(key, language, scale=scale) if key in TEXTS else problem.message


language_of = CATALOGUE.chosen  # Vietnamese unless another one the page has is asked for


@dataclass(frozen=True)
class Headline:
    text: str
    detail: tuple[str, ...]
    urgent: bool  # the citizen must act now: said at once by a screen reader, with a sound


def headline(view: TicketView, language: Language) -> Headline:
    """The sentence at the top of the ticket's page, and what follows it."""
    counter = view.counter or ""
    match view.status:
        case TicketStatus.CALLED:
            again = [tr("recalled", language, counter=counter, count=view.recalls)]
            return Headline(tr("called", language, counter=counter),
                            tuple(again if view.recalls else ()), urgent=True)
        case TicketStatus.ABSENT:
            if view.come_back_by is None:
                return Headline(tr("absent_late", language, counter=counter), (), urgent=True)
            when = f"{view.come_back_by:%H:%M}"
            return Headline(tr("absent", language, counter=counter, time=when), (), urgent=True)
        case TicketStatus.PARKED:
            return Headline(tr("parked", language, counter=counter), (), urgent=False)
        case TicketStatus.DONE:
            return Headline(tr("done", language), (), urgent=False)
    detail: list[str] = []
    if view.slot is not None:  # checked in before the slot: nobody calls them before it
        detail.append(tr("slot", language, time=f"{view.slot:%H:%M}"))
    if view.moved_from:
        detail.append(tr("moved", language, source=view.moved_from, service=view.service_name))
    if view.sent_to:
        detail.append(tr("sent_to", language, counter=view.sent_to))
    if view.unserved:
        return Headline(tr("unserved", language), tuple(detail), urgent=False)
    if view.ahead == 0:
        text = tr("next", language)
    elif view.ahead == 1:
        text = tr("ahead_one", language)
    else:
        text = tr("ahead_many", language, count=view.ahead)
    if view.wait is not None:
        low, high = view.wait
        detail.append(tr("wait" if low else "wait_short", language, low=low, high=high))
    # Step out only when the wait is surely long; else stay near.
    if (view.wait[0] >= STEP_OUT_MINUTES) if view.wait else view.ahead >= STEP_OUT_AHEAD:
        detail.append(tr("wait_hint", language))
    elif view.ahead <= 1 or (view.wait is not None and view.wait[0] == 0):
        detail.append(tr("stay_near", language))
    return Headline(text, tuple(detail), urgent=False)
