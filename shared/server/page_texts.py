"""The words of the citizen's pages, in Vietnamese first and English second.

Pure: a view in, sentences out; the templates only lay them out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final, Literal

from shared.core.errors import QueueError
from shared.core.ticket import TicketStatus
from shared.core.ticket_view import TicketView

log = logging.getLogger(__name__)

Language = Literal["vi", "en"]
LANGUAGES: Final = ("vi", "en")
STEP_OUT_MINUTES: Final = 10  # the shortest expected wait that "you may step out" suits
STEP_OUT_AHEAD: Final = 5  # without an estimate: this many people ahead

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "title": ("Theo dõi lượt gọi", "Follow your turn"),
    "your_number": ("Số thứ tự của bạn", "Your number"),
    "service": ("Dịch vụ", "Service"),
    "switch": ("English", "Tiếng Việt"),
    "next": ("Bạn là người tiếp theo", "You are next"),
    "ahead_one": ("Trước bạn còn 1 người", "1 person before you"),
    "ahead_many": ("Trước bạn còn {count} người", "{count} people before you"),
    "unserved": ("Hiện chưa có quầy nào phục vụ dịch vụ này — hãy hỏi cán bộ",
                 "No counter serves this service right now — please ask an official"),
    "slot": ("Bạn có lịch hẹn lúc {time}: bạn sẽ được gọi từ {time}.",
             "You have a booking at {time}: you will be called from {time}."),
    "moved": ("Hồ sơ của bạn được chuyển từ “{source}” sang “{service}”; bạn giữ nguyên lượt.",
              "Your case was moved from “{source}” to “{service}”; you keep your place."),
    "sent_to": ("Bạn được chuyển đến {counter}; quầy này sẽ gọi bạn.",
                "You were sent to {counter}; that counter will call you."),
    "wait": ("Thời gian chờ dự kiến: khoảng {low}–{high} phút.",
             "Expected wait: about {low}–{high} minutes."),
    "wait_short": ("Thời gian chờ dự kiến: dưới {high} phút.",
                   "Expected wait: under {high} minutes."),
    "stay_near": ("Hãy ở gần các quầy: sắp đến lượt bạn.",
                  "Please stay near the counters: your turn is coming soon."),
    "wait_hint": ("Bạn có thể ra ngoài một lát; hãy giữ trang này mở và để ý điện thoại.",
                  "You may step out for a while; keep this page open and watch your phone."),
    "called": ("Đến lượt bạn — mời đến {counter}", "It is your turn — please go to {counter}"),
    "recalled": ("{counter} đã gọi lại số của bạn {count} lần.",
                 "{counter} has called your number again {count} times."),
    "absent": ("Bạn đã vắng mặt khi được gọi — hãy đến {counter} trước {time}",
               "You were called and were not there — go to {counter} before {time}"),
    "absent_late": ("Bạn đã vắng mặt khi được gọi — hãy hỏi cán bộ tại {counter}",
                    "You missed your call — please ask the official at {counter}"),
    "parked": ("Bạn đang bổ sung giấy tờ — khi xong, hãy quay lại {counter}",
               "You are completing your documents — when ready, go back to {counter}"),
    "done": ("Đã phục vụ xong. Cảm ơn bạn!", "You have been served. Thank you!"),
    "counters": ("Các quầy phục vụ dịch vụ này", "Counters serving this service"),
    "serving": ("đang phục vụ số {number}", "serving {number}"),
    "free": ("đang chờ gọi số", "ready to call"),
    "paused": ("tạm dừng", "paused"),
    "closed": ("chưa mở", "not open"),
    "many_counters": ("{count} quầy phục vụ dịch vụ này, {open} quầy đang làm việc.",
                      "{count} counters serve this service; {open} are working now."),
    "latest": ("Các số vừa gọi", "Latest calls"),
    "no_calls": ("Chưa gọi số nào hôm nay.", "No number called yet today."),
    "live": ("Trang tự cập nhật, không cần tải lại.", "This page updates by itself."),
    "offline": ("Mất kết nối với máy chủ của cơ quan — đang thử kết nối lại…",
                "Lost the connection to the office's server — reconnecting…"),
    "today_only": ("Mã này chỉ dùng được trong ngày cấp số.",
                   "This code works only on the day the ticket was issued."),
    "rate_question": ("Bạn đánh giá thế nào về sự phục vụ hôm nay?",
                      "How were you served today?"),
    "very_satisfied": ("Rất hài lòng", "Very satisfied"),
    "satisfied": ("Hài lòng", "Satisfied"),
    "dissatisfied": ("Không hài lòng", "Not satisfied"),
    "stars": ("{count} sao", "{count} stars"),
    "why": ("Vì sao bạn chưa hài lòng? (có thể chọn nhiều)",
            "Why were you not satisfied? (choose any)"),
    "send": ("Gửi đánh giá", "Send"),
    "thanks": ("Cảm ơn bạn đã đánh giá! Ý kiến của bạn giúp cơ quan phục vụ tốt hơn.",
               "Thank you for your rating! It helps the office serve better."),
    "anonymous": ("Đánh giá không ghi tên hay số điện thoại của bạn.",
                  "Your rating carries neither your name nor your phone number."),
    "not_rated_title": ("Chưa ghi được đánh giá", "The rating was not recorded"),
    "back": ("Quay lại trang số thứ tự", "Back to your ticket"),
    "bad_rating": ("Đánh giá không hợp lệ.", "That rating is not valid."),
    "refused_not_served": ("Chỉ đánh giá được sau khi đã được phục vụ xong.",
                           "You can rate the service once you have been served."),
    "refused_already_rated": ("Số này đã được đánh giá; mỗi số chỉ đánh giá một lần.",
                              "This ticket has been rated; each ticket is rated once."),
    "refused_bad_level": ("Mức đánh giá phải từ 1 đến {scale}.",
                          "A rating goes from 1 to {scale}."),
    "refused_reasons_not_asked": ("Chỉ ghi lý do khi bạn chưa hài lòng.",
                                  "Reasons are asked only when you were not satisfied."),
    "refused_unknown_reason": ("Lý do không có trong danh sách.",
                               "That reason is not on the list."),
    "refused_stopping": ("Máy chủ đang dừng; vui lòng thử lại sau ít phút.",
                         "The server is stopping; please try again in a few minutes."),
    "refused_not_saved": ("Máy chủ chưa lưu được đánh giá; vui lòng thử lại.",
                          "The server could not save the rating; please try again."),
    "not_found_title": ("Không tìm thấy số thứ tự", "Ticket not found"),
    "not_found": ("Mã trên vé không đúng, hoặc đã hết hạn: mỗi vé chỉ theo dõi được trong "
                  "ngày cấp số. Hãy kiểm tra lại địa chỉ, hoặc hỏi cán bộ.",
                  "The code is wrong or has expired: a ticket can be followed only on the day "
                  "it was issued. Check the address, or ask an official."),
    "too_many_title": ("Xin thử lại sau", "Please try again later"),
    "too_many": ("Trang được mở quá nhiều lần từ máy này. Hãy thử lại sau một phút.",
                 "This page was opened too many times from this device. Try again in a minute."),
}


def rating_levels(scale: int, language: Language) -> list[tuple[int, str, str]]:
    """(level, what the button shows, what a screen reader says), best first."""
    if scale == 3:
        return [(3, tr("very_satisfied", language), tr("very_satisfied", language)),
                (2, tr("satisfied", language), tr("satisfied", language)),
                (1, tr("dissatisfied", language), tr("dissatisfied", language))]
    return [(n, "★" * n, tr("stars", language, count=n)) for n in range(scale, 0, -1)]


def tr(key: str, language: Language, **values: object) -> str:
    vi, en = TEXTS[key]
    return (vi if language == "vi" else en).format(**values)


def refusal_words(problem: QueueError, language: Language, scale: int) -> str:
    """Why a rating was not stored, in the page's language (its code picks the words)."""
    key = f"refused_{problem.code}"
    return tr(key, language, scale=scale) if key in TEXTS else problem.message


def language_of(asked: str | None) -> Language:
    """The page's language: Vietnamese unless English is asked for (``?lang=en``)."""
    return "en" if asked == "en" else "vi"


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
