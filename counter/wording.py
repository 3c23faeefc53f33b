"""What the counter program says to the official, in Vietnamese.

Button labels and their keys, the sentences of the status line, and the way times
and durations are written. One place, so that the same thing is always said the
same way in the full window, the compact strip and the dialogs.

Pure: imports no Qt, no network.
"""

from __future__ import annotations

import logging

from counter.queue_state import Action
from shared.core import wire

log = logging.getLogger(__name__)

# Function keys: officials type all day in other software, and F-keys are the keys
# that never collide with typing. The three keys of the compact strip sit together.
KEYS: dict[Action, str] = {
    Action.CALL_NEXT: "F1",
    Action.RECALL: "F2",
    Action.DONE: "F3",
    Action.ABSENT: "F4",
    Action.PARK: "F5",
    Action.TRANSFER: "F6",
    Action.CALL: "F7",
    Action.PAUSE: "F8",
    Action.SET_ASIDE: "F9",
    Action.SIGN_IN: "F10",
    Action.ISSUE: "F11",
}
COMPACT_KEY = "F12"

# A no-break space keeps a two-syllable word whole when a narrow button wraps its
# label ("Chờ bổ / sung hồ sơ" read badly, issue 16).
_W = "\u00a0"

LABELS: dict[Action, str] = {
    Action.CALL_NEXT: "Gọi số tiếp theo",
    Action.RECALL: "Gọi lại",
    Action.DONE: "Hoàn thành",
    Action.ABSENT: "Vắng mặt",
    Action.PARK: f"Chờ{_W}bổ{_W}sung hồ{_W}sơ",
    Action.TRANSFER: "Chuyển…",
    Action.CALL: f"Gọi số cụ{_W}thể…",
    Action.PAUSE: "Tạm dừng",
    Action.SET_ASIDE: f"Vắng / chờ bổ{_W}sung",
    Action.RETURN: "Đưa lại vào hàng",
    Action.SIGN_IN: "Đăng nhập cán bộ…",
    Action.ISSUE: "Cấp số…",  # for a citizen standing at the counter (its dialog says so)
}
RESUME_LABEL = "Tiếp tục"
COMPACT_LABELS: dict[Action, str] = {Action.CALL_NEXT: "Gọi tiếp"}
SHRINK_LABEL = "Thu gọn"
EXPAND_LABEL = "Mở rộng"

STATUS_WORDS = {
    "absent": "Vắng mặt",
    "parked": "Chờ bổ sung hồ sơ",
    "waiting": "Đang chờ",
    "called": "Đang phục vụ",
    "done": "Đã xong",
}

LINK_WORDS = {
    "connecting": "Đang kết nối…",
    "online": "Đã kết nối",
    "offline": "Mất kết nối",
    "refused": "Chưa ghép nối",
    "wrong_office": "Sai văn phòng",
}

REASONS = (
    "Công dân có giấy hẹn trả kết quả",
    "Công dân đã bổ sung hồ sơ",
    "Công dân quay lại sau khi vắng mặt",
    "Công dân thuộc diện ưu tiên",
)


def official_line(official: wire.Official | None, *, any_listed: bool) -> str:
    """Who serves at this counter, as its header says it."""
    if official is None:
        return "Chưa có cán bộ đăng nhập" if any_listed else ""
    return f"Cán bộ: {official.name}" + (f" — {official.title}" if official.title else "")


def signed(official: wire.Official | None, counter: int) -> str:
    if official is None:
        return f"Đã đăng xuất: quầy {counter} không có cán bộ đăng nhập."
    return f"{official.name} đã đăng nhập tại quầy {counter}."


def elapsed_text(seconds: int) -> str:
    """A running clock: ``0:42``, ``12:05``, ``1:02:03``."""
    seconds = max(0, seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def duration_text(seconds: float | None) -> str:
    """A mean service time in words: ``6 phút 30 giây``, ``45 giây``, ``—``."""
    if seconds is None:
        return "—"
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    if not minutes:
        return f"{secs} giây"
    return f"{minutes} phút {secs:02d} giây" if secs else f"{minutes} phút"


def called(ticket: wire.Ticket, *, recall: bool, out_of_order: bool = False) -> str:
    if recall:
        return f"Đã gọi lại số {ticket.number} (lần {ticket.recalls})."
    if out_of_order:
        return f"Đã gọi số {ticket.number} ngoài thứ tự — {ticket.service_name}."
    return f"Đã gọi số {ticket.number} — {ticket.service_name}."


def nobody_waiting(finished: str | None) -> str:
    if finished:
        return f"Đã hoàn thành số {finished}. Không còn công dân nào chờ ở quầy này."
    return "Không còn công dân nào chờ ở quầy này."


def done(ticket: wire.Ticket, action: Action, *, to_counter: int | None = None) -> str:
    """The status line after an ``ok`` reply to ``action`` about ``ticket``."""
    key = KEYS[Action.SET_ASIDE]
    if action is Action.ABSENT:
        return (f"Số {ticket.number}: công dân vắng mặt. Nếu công dân quay lại, "
                f"đưa số vào hàng trong danh sách ({key}).")
    if action is Action.PARK:
        return (f"Số {ticket.number}: chờ bổ sung hồ sơ. Khi công dân quay lại, "
                f"đưa số vào hàng trong danh sách ({key}).")
    if action is Action.TRANSFER:
        where = f"quầy {to_counter}" if to_counter is not None else ticket.service_name
        return f"Đã chuyển số {ticket.number} sang {where}, giữ nguyên thứ tự đến."
    if action is Action.RETURN:
        ahead = "được gọi tiếp theo" if ticket.ahead == 0 else f"còn {ticket.ahead} người trước"
        return f"Đã đưa số {ticket.number} trở lại hàng chờ ({ahead})."
    return f"Đã hoàn thành số {ticket.number}."


def paused(is_paused: bool) -> str:
    if is_paused:
        return (f"Quầy đang tạm dừng. Bấm {RESUME_LABEL} ({KEYS[Action.PAUSE]}) hoặc "
                f"{LABELS[Action.CALL_NEXT]} ({KEYS[Action.CALL_NEXT]}) để mở lại.")
    return "Quầy tiếp tục nhận công dân."


def printer_fault(kiosk: str, message: str) -> str:
    detail = message.strip().rstrip(".") or "không rõ lỗi"
    return f"Máy in ở ki-ốt {kiosk} gặp sự cố: {detail}. Công dân vẫn nhận số trên màn hình."


def help_wanted(kiosk: str, location: str) -> str:
    where = location or f"máy cấp số {kiosk}"
    return f"Công dân cần hỗ trợ tại {where} — bấm vào đây khi bạn đến."


def unserved(service: str, waiting: int) -> str:
    # No counter serving it has its program open and working (none, or all paused).
    return f"{waiting} công dân đang chờ {service}: chưa có quầy nào phục vụ."


def ticket_summary(ticket: wire.Ticket) -> str:
    return f"{ticket.number} · {ticket.service_name}"


def ahead_words(ahead: int) -> str:
    return "Được gọi tiếp theo." if ahead == 0 else f"Có {ahead} người chờ trước."


def issued_here(ticket: wire.Ticket) -> str:
    """The status line after a number was given to a citizen at the counter."""
    return (f"Đã cấp số {ticket.number} ({ticket.service_name}) cho công dân tại quầy. "
            f"{ahead_words(ticket.ahead)}")
