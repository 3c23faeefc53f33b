"""Every word the counter program says to the official: the Vietnamese here, English and
any language an office adds in its catalogue (``shared/languages/en/counter.po``, or
``hmn/counter.po``), and how times and durations are written.

One place, so that the same thing is always said the same way in the full window, the
compact strip and the dialogs. A counter reads one language, chosen once at its start
(``motcua counter --language en``): the windows are built after ``use``, and every
label is looked up when it is shown, never kept from the import.

What is not the counter's own is said as it comes: the server's refusals, the office's
names of counters and officials (a service or priority category is named by its
``name_en`` in English, or by an office catalogue's ``msgctxt "name"``).

Pure: imports no Qt, no network.
"""

from __future__ import annotations

import logging
from typing import Final

from counter.queue_state import Action, ServiceLine
from shared.core import wire
from shared.languages.catalogue import EN, VI, Catalogue
from shared.languages.command_line import text as command_line_text

log = logging.getLogger(__name__)

# A no-break space keeps a two-syllable word whole when a narrow button wraps its
# label ("Chờ bổ / sung hồ sơ" read badly, issue 16).
_W = "\u00a0"

TEXTS: Final[dict[str, str]] = {  # key: Vietnamese
    # -- the action buttons (the F-key is shown beside them, not written here) --------
    "action_call_next": "Gọi số tiếp theo",
    "action_recall": "Gọi lại",
    "action_done": "Hoàn thành",
    "action_absent": "Vắng mặt",
    "action_park": f"Chờ{_W}bổ{_W}sung hồ{_W}sơ",
    "action_transfer": "Chuyển…",
    "action_call": f"Gọi số cụ{_W}thể…",
    "action_pause": "Tạm dừng",
    "action_set_aside": f"Vắng / chờ bổ{_W}sung",
    "action_return": "Đưa lại vào hàng chờ",
    "action_sign_in": "Đăng nhập cán bộ…",
    "action_issue_here": "Cấp số…",  # for a citizen standing at the counter
    "resume": "Tiếp tục",
    "call_next_short": "Gọi tiếp",  # on the compact strip
    "shrink": "Thu gọn",
    "expand": "Mở rộng",
    # -- a ticket's state, in the set-aside list --------------------------------------
    "status_absent": "Vắng mặt",
    "status_parked": "Chờ bổ sung hồ sơ",
    "status_waiting": "Đang chờ",
    "status_called": "Đang phục vụ",
    "status_done": "Đã xong",
    # -- the link to the server --------------------------------------------------------
    "link_connecting": "Đang kết nối…",
    "link_online": "Đã kết nối",
    "link_offline": "Mất kết nối",
    "link_refused": "Chưa ghép nối",
    "link_wrong_office": "Sai văn phòng",
    "link_enter_code": "{link} — nhập mã",
    "offline_banner": "Mất kết nối với máy chủ. Các nút tạm khoá; chương trình đang tự kết "
                      "nối lại, không cần làm gì.",
    "refused_banner": "Máy chủ chưa nhận quầy này: cần mã ghép nối đúng (bấm ô trạng thái kết "
                      "nối ở góc trên để nhập).",
    "unpaired": "Chưa có mã ghép nối. Bấm vào ô trạng thái kết nối để nhập mã.",
    "reconnected": "Đã kết nối lại với máy chủ.",
    "offline": "Mất kết nối với máy chủ. Đang thử kết nối lại…",
    "refused": "Máy chủ từ chối kết nối: {reason}",
    "offline_not_sent": "Chưa kết nối được với máy chủ: thao tác chưa được gửi.",
    "unexpected_error": "Có lỗi ngoài dự kiến; chương trình vẫn chạy. Chi tiết đã ghi vào "
                        "nhật ký.",
    # -- the window's panels -----------------------------------------------------------
    "counter_name": "Quầy {number}",  # before the server has named the counter
    "serving_caption": "ĐANG PHỤC VỤ",
    "paused_caption": "QUẦY ĐANG TẠM DỪNG",
    "will_pause_caption": "QUẦY SẼ TẠM DỪNG",  # paused while a citizen is still served
    "paused": "Tạm dừng",  # where the number would be
    "paused_panel": "Bấm {resume} ({resume_key}) hoặc {call_next} ({call_next_key}) để "
                    "nhận công dân.",
    "idle_panel": "Chưa có công dân. Bấm {key} để gọi số tiếp theo.",
    "priority_badge": "Ưu tiên · {name}",
    "appointment": "Lịch hẹn",  # a booking's place: why it came before others
    "issued_by": "Số cấp tại quầy {counter}",
    "transferred_from": "Chuyển từ {service}",
    "recalls": "Đã gọi lại {count} lần",
    "since_called": "từ lúc gọi ({time})",
    "waiting_caption": "ĐANG CHỜ",
    "waiting_total": "Tổng {total} người",
    "today_caption": "HÔM NAY TẠI QUẦY",
    "today_served": "đã phục vụ",
    "today_absent": "vắng mặt",
    "today_average": "trung bình mỗi lượt",
    "seconds": "{seconds} giây",
    "minutes": "{minutes} phút",
    "minutes_seconds": "{minutes} phút {seconds} giây",
    "no_official": "Chưa có cán bộ đăng nhập",
    "official": "Cán bộ: {name}",
    "official_titled": "Cán bộ: {name} — {title}",
    "official_sign_in": "{who} — đăng nhập ({key})",
    "official_tooltip": "Đăng nhập hoặc đăng xuất cán bộ tại quầy ({key})",
    # -- the compact strip ----------------------------------------------------------------
    "strip_priority": "ưu tiên",
    "strip_waiting": "chờ {count}",
    "strip_printer": "máy in",
    # -- the hall's alerts ----------------------------------------------------------------
    "printer_fault": "Máy in của máy cấp số {kiosk} gặp sự cố: {detail}. Công dân vẫn nhận số trên "
                     "màn hình.",
    "unknown_fault": "không rõ lỗi",
    "help_wanted": "Công dân cần hỗ trợ tại {place} — bấm vào đây khi bạn đến.",
    "help_at_kiosk": "máy cấp số {kiosk}",
    "unserved": "{waiting} công dân đang chờ {service}: chưa có quầy nào phục vụ.",
    # -- the status line after an action ----------------------------------------------
    "called": "Đã gọi số {number} — {service}.",
    "called_out_of_order": "Đã gọi số {number} ngoài thứ tự — {service}.",
    "recalled": "Đã gọi lại số {number} (lần {count}).",
    "finished_then": "Đã hoàn thành số {number}. {then}",
    "finished": "Đã hoàn thành số {number}.",
    "nobody_waiting": "Không còn công dân nào chờ ở quầy này.",
    "absent_done": "Số {number}: công dân vắng mặt. Nếu công dân quay lại, đưa số vào hàng "
                   "trong danh sách ({key}).",
    "parked_done": "Số {number}: chờ bổ sung hồ sơ. Khi công dân quay lại, đưa số vào hàng "
                   "trong danh sách ({key}).",
    "transferred_to_counter": "Đã chuyển số {number} sang quầy {counter}, giữ nguyên thứ tự "
                              "đến.",
    "transferred_to_service": "Đã chuyển số {number} sang {service}, giữ nguyên thứ tự đến.",
    "returned_next": "Đã đưa số {number} trở lại hàng chờ (được gọi tiếp theo).",
    "returned_ahead": "Đã đưa số {number} trở lại hàng chờ (còn {ahead} người trước).",
    "paused_now": "Quầy đang tạm dừng. Bấm {resume} ({resume_key}) hoặc {call_next} "
                  "({call_next_key}) để mở lại.",
    "resumed": "Quầy tiếp tục nhận công dân.",
    "no_ticket": "Quầy chưa gọi số nào.",
    "call_needs_both": "Cần nhập cả số thứ tự và lý do gọi số ngoài thứ tự.",
    "action_refused": "Máy chủ không thực hiện được thao tác này.",
    "not_now": "{action}: chưa làm được lúc này.",
    "issued_here": "Đã cấp số {number} ({service}) cho công dân tại quầy. {ahead}",
    "next_in_line": "Được gọi tiếp theo.",
    "ahead": "Có {ahead} người chờ trước.",
    "signed_in": "{name} đã đăng nhập tại quầy {counter}.",
    "signed_out": "Đã đăng xuất: quầy {counter} không có cán bộ đăng nhập.",
    "sign_in_refused": "Máy chủ không cho đăng nhập.",
    "offline_no_sign_in": "Chưa kết nối được với máy chủ: chưa đăng nhập được.",
    "offline_sign_in_lost": "Mất kết nối với máy chủ nên có thể chưa đăng nhập được; hãy thử "
                            "lại khi đã kết nối.",
    # -- every dialog ---------------------------------------------------------------------
    "cancel": "Huỷ",
    "close": "Đóng",
    "waiting_in_list": "{count} chờ",  # after a service's name in a list
    # -- transfer ---------------------------------------------------------------------------
    "transfer_title": "Chuyển công dân",
    "transfer_heading": "Chuyển số {ticket}",
    "transfer_hint": "Công dân giữ nguyên thứ tự đến ở nơi được chuyển tới: không phải xếp "
                     "hàng lại từ đầu.",
    "counter_paused": "tạm dừng",
    "counter_not_open": "chưa mở",
    "to_service_caption": "SANG DỊCH VỤ KHÁC",
    "to_counter_caption": "SANG QUẦY KHÁC",
    "transfer_ok": "Chuyển",
    # -- a specific number, out of order ------------------------------------------------
    "call_title": "Gọi số cụ thể",
    "call_example": "Ví dụ: A017",
    "reason_placeholder": "Chọn hoặc gõ lý do",
    "call_hint": "Số này được gọi không theo thứ tự. Lý do được ghi vào nhật ký để kiểm tra "
                 "sự công bằng sau này.",
    "call_ok": "Gọi số",
    "number_caption": "SỐ THỨ TỰ",
    "reason_required_caption": "LÝ DO (BẮT BUỘC)",
    # The reasons offered for calling out of order (the official may type another).
    "reason_appointment": "Công dân có giấy hẹn trả kết quả",
    "reason_documents": "Công dân đã bổ sung hồ sơ",
    "reason_returned": "Công dân quay lại sau khi vắng mặt",
    "reason_priority": "Công dân thuộc diện ưu tiên",
    # -- the absent and parked list -------------------------------------------------------
    "column_number": "Số",
    "column_service": "Dịch vụ",
    "column_status": "Tình trạng",
    "column_counter": "Quầy",
    "column_called": "Gọi lúc",
    "set_aside_title": "Công dân vắng mặt và chờ bổ sung hồ sơ",
    "set_aside_heading": "Vắng mặt và chờ bổ sung hồ sơ",
    "set_aside_hint": "Khi công dân quay lại: “{back}” giữ chỗ cũ (vắng mặt trong thời gian "
                      "cho phép; hồ sơ bổ sung trở về quầy đã nhận), hoặc gọi ngay.",
    "everywhere": "Hiện cả các quầy khác",
    "set_aside_empty": "Không có công dân nào vắng mặt hay chờ bổ sung hồ sơ.",
    "call_now": "Gọi ngay…",
    # -- an official's sign-in ------------------------------------------------------------
    "sign_in_title": "Đăng nhập cán bộ",
    "pin_placeholder": "4–8 chữ số",
    "pin_name": "Mã PIN",
    "sign_in_ok": "Đăng nhập",
    "sign_out_who": "Đăng xuất {name}",
    "signed_in_here": "Đang đăng nhập tại quầy này: {name}. Người khác đăng nhập sẽ thay "
                      "người này.",
    "nobody_signed_in": "Chưa có cán bộ đăng nhập tại quầy này.",
    "sign_in_record": "Mỗi lượt gọi, hoàn thành và đánh giá sau đó được ghi cho cán bộ đăng "
                      "nhập.",
    "name_caption": "HỌ VÀ TÊN",
    "pin_caption": "MÃ PIN",
    "choose_name": "Chọn tên của bạn trong danh sách.",
    "pin_shape": "Mã PIN gồm 4 đến 8 chữ số.",
    "offline_sign_in": "Mất kết nối với máy chủ: chưa đăng nhập được. Chờ kết nối lại rồi "
                       "thử lại.",
    "offline_sign_out": "Mất kết nối với máy chủ: chưa đăng xuất được.",
    "checking": "Đang kiểm tra…",
    # -- a number for a citizen at the counter ------------------------------------------
    "issue_title": "Cấp số cho công dân tại quầy",
    "issue_hint": "Cho người không dùng được máy cấp số (người cao tuổi, người khuyết tật, "
                  "hoặc không có máy gần đây). Số được xếp hàng như số lấy từ máy cấp số, và "
                  "nhật ký ghi quầy đã cấp.",
    "no_priority": "Không ưu tiên",
    "priority_named": "Ưu tiên: {name}",
    "issue_reason_example": "Ví dụ: cụ đi xe lăn, không tới được máy cấp số",
    "issue_ok": "Cấp số",
    "service_caption": "DỊCH VỤ",
    "priority_caption": "ƯU TIÊN",
    "issue_reason_caption": "LÝ DO (KHÔNG BẮT BUỘC, GHI VÀO NHẬT KÝ)",
    "issued_title": "Số {number}",
    "issued_caption": "SỐ THỨ TỰ CỦA CÔNG DÂN",
    "issued_keep": "Mời công dân giữ số này và chờ được gọi.",
    "printing": "Đang in vé ở máy in của quầy…",
    "no_printer": "Quầy không có máy in: đọc số cho công dân, hoặc để công dân chụp màn hình "
                  "này.",
    "printed": "Đã in vé: mời công dân nhận vé.",
    "not_printed": "Chưa in được vé ({problem}). Đọc số cho công dân, hoặc để công dân chụp "
                   "màn hình này.",
    "issued_ok": "Xong",
    # -- keys from outside the window: global shortcuts and a USB keypad -----------------
    "keys_ready": "Phím tắt dùng được cả khi đang làm việc ở cửa sổ khác — {listing}.",
    "keys_wayland": "Phím tắt toàn cục không dùng được trong phiên Wayland (Wayland không "
                    "cho chương trình nào nhận phím của cửa sổ khác). Hãy dùng bàn phím số "
                    "USB riêng (motcua counter --keypad), hoặc chọn phiên \"Xorg\" khi đăng "
                    "nhập.",
    "keys_no_display": "Phím tắt toàn cục cần màn hình X11 (biến DISPLAY) hoặc Windows.",
    "keys_no_such_key": "Bàn phím này không có phím {key}.",
    "keys_taken": "Phím tắt {chord} đang được chương trình khác dùng: hãy chọn phím khác "
                  "(--global-keys).",
    "keys_failed": "Không bật được phím tắt toàn cục ({error}).",
    "keypad_ready": "Đã nhận bàn phím số {device}.",
    "keypad_missing": "Không thấy bàn phím số {device}: hãy cắm nó vào (lsusb liệt kê các "
                      "thiết bị USB).",
    "keypad_permission": "Không được phép đọc bàn phím số ({node}): cần một quy tắc udev, xem "
                         "docs/counter-keys.md.",
    "keypad_cannot_open": "Không mở được bàn phím số ({node}: {error}).",
    "keypad_held": "Bàn phím số {device} đang bị chương trình khác giữ.",
    "keypad_unplugged": "Bàn phím số {device} đã bị rút ra.",
    "keypad_stopped": "Bàn phím số ngừng hoạt động ({error}); hãy khởi động lại chương trình "
                      "quầy.",
    # -- the command line: one line, Vietnamese then English (``command_line``) ----------
    "cli_language": "--language {code}: quầy chỉ có {languages} (thêm ngôn ngữ: "
                    "docs/languages.md).",
    "cli_no_counter": "Văn phòng không có quầy số {counter} (có: {known}).",
    "cli_keypad_linux": "--keypad chỉ dùng được trên Linux; trên Windows hãy dùng phím của bàn "
                        "phím số làm phím tắt toàn cục (--global-keys).",
    "cli_chord_shape": "Phím tắt {chord} không đúng: viết như Ctrl+Alt+1 hoặc Pause.",
    "cli_chord_modifier": "Phím tắt {chord}: không biết phím {keys} (dùng Ctrl, Alt, Shift, "
                          "Super).",
    "cli_chord_alone": "Phím tắt {chord} cần có Ctrl, Alt hoặc Super, để các chương trình khác "
                       "vẫn gõ được phím đó (riêng Pause, Scroll_Lock, F13–F24 dùng một mình "
                       "được).",
    "cli_chord_key": "Phím tắt {chord}: không biết phím {key} (dùng chữ, số, F1–F24, {named}).",
    "cli_binding_shape": "{item}: viết TÊN=PHÍM, TÊN là {names}.",
    "cli_binding_twice": "{name} có hai phím tắt.",
    "cli_chord_twice": "Phím tắt {chord} dùng cho hai việc.",
    "cli_usb_id": "{text}: viết mã thiết bị USB như lsusb hiện, ví dụ 1a86:e026.",
    "cli_keypad_binding": "{item}: viết TÊN=PHÍM, TÊN là {names}, PHÍM như evtest hiện "
                          "(KEY_KP1) hoặc mã số.",
    "cli_key_twice": "{key} dùng cho hai việc.",
}
CATALOGUE: Final = Catalogue("counter", TEXTS)
NOTHING: Final = "—"  # no number, no mean time yet: a sign, not a word

# Function keys: officials type all day in other software, and F-keys are the keys
# that never collide with typing. The three keys of the compact strip sit together.
# Not words: the same in every language.
KEYS: Final[dict[Action, str]] = {
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
COMPACT_KEY: Final = "F12"
REASONS: Final = ("appointment", "documents", "returned", "priority")

_language = VI


def use(language: str) -> None:
    """Speak ``language`` from now on (a language with a counter catalogue); before the
    windows are built, as ``motcua counter --language`` does."""
    global _language  # one counter, one language: chosen once at the start
    _language = language


def language() -> str:
    return _language


def word(key: str, /, **values: object) -> str:
    """The text ``key`` in the counter's language."""
    return CATALOGUE.text(key, _language, **values)


def english(key: str, /, **values: object) -> str:
    """The text ``key`` in English, for the log (which a developer reads)."""
    return CATALOGUE.text(key, EN, **values)


def command_line(key: str, /, **values: object) -> str:
    """A mistake on the command line, in the command line's language (``MOTCUA_LANG``,
    as every command's), whatever ``--language`` says: that is the screen's."""
    return command_line_text(CATALOGUE, key, **values)


def with_key(text: str, key: str) -> str:
    """``Gọi lại (F2)``: a label with the key that does it."""
    return f"{text} ({key})"


def label(action: Action) -> str:
    """The label of ``action``'s button."""
    return word(f"action_{action.value}")


def status_word(status: str) -> str:
    """A ticket's state in words (the server's code if it is a new one)."""
    key = f"status_{status}"
    return word(key) if key in TEXTS else status


def link_word(link: str) -> str:
    """The link to the server in words (``shared.core.link.Link``'s value)."""
    return word(f"link_{link}")


def reason(which: str) -> str:
    """One of the reasons offered for calling out of order (``REASONS``)."""
    return word(f"reason_{which}")


def office_name(name: str, name_en: str = "") -> str:
    """A name from the office's file — a service, a priority category — in the
    counter's language: English from its ``name_en``; another language from the
    office's catalogue (``msgctxt "name"``); else as the office wrote it."""
    if _language == EN and name_en:
        return name_en
    return CATALOGUE.word("name", name, _language)


def service_name(line: ServiceLine) -> str:
    return office_name(line.name, line.name_en)


def counter_name(number: int) -> str:
    """A counter's name before the server has said it."""
    return word("counter_name", number=number)


def official_line(official: wire.Official | None, *, any_listed: bool) -> str:
    """Who serves at this counter, as its header says it."""
    if official is None:
        return word("no_official") if any_listed else ""
    if official.title:
        return word("official_titled", name=official.name, title=official.title)
    return word("official", name=official.name)


def signed(official: wire.Official | None, counter: int) -> str:
    if official is None:
        return word("signed_out", counter=counter)
    return word("signed_in", name=official.name, counter=counter)


def elapsed_text(seconds: int) -> str:
    """A running clock: ``0:42``, ``12:05``, ``1:02:03``."""
    seconds = max(0, seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def duration_text(seconds: float | None) -> str:
    """A mean service time in words: ``6 phút 30 giây``, ``45 giây``, ``—``."""
    if seconds is None:
        return NOTHING
    whole = round(seconds)
    minutes, secs = divmod(whole, 60)
    if not minutes:
        return word("seconds", seconds=secs)
    if not secs:
        return word("minutes", minutes=minutes)
    return word("minutes_seconds", minutes=minutes, seconds=f"{secs:02d}")


def called(ticket: wire.Ticket, service: str, *, recall: bool,
           out_of_order: bool = False) -> str:
    """The status line after a call; ``service``: its name as the official reads it."""
    if recall:
        return word("recalled", number=ticket.number, count=ticket.recalls)
    key = "called_out_of_order" if out_of_order else "called"
    return word(key, number=ticket.number, service=service)


def finished_then(number: str, then: str) -> str:
    """The citizen before was done by the same key that called the next one."""
    return word("finished_then", number=number, then=then)


def nobody_waiting(finished: str | None) -> str:
    if finished:
        return finished_then(finished, word("nobody_waiting"))
    return word("nobody_waiting")


def done(ticket: wire.Ticket, action: Action, service: str, *,
         to_counter: int | None = None) -> str:
    """The status line after an ``ok`` reply to ``action`` about ``ticket``;
    ``service``: the name of the ticket's service now, as the official reads it."""
    number, key = ticket.number, KEYS[Action.SET_ASIDE]
    if action is Action.ABSENT:
        return word("absent_done", number=number, key=key)
    if action is Action.PARK:
        return word("parked_done", number=number, key=key)
    if action is Action.TRANSFER:
        if to_counter is not None:
            return word("transferred_to_counter", number=number, counter=to_counter)
        return word("transferred_to_service", number=number, service=service)
    if action is Action.RETURN:
        if ticket.ahead == 0:
            return word("returned_next", number=number)
        return word("returned_ahead", number=number, ahead=ticket.ahead)
    return word("finished", number=number)


def _resume_words() -> dict[str, str]:
    """How to open a paused counter again: its two keys, each with its label."""
    return {"resume": word("resume"), "resume_key": KEYS[Action.PAUSE],
            "call_next": label(Action.CALL_NEXT), "call_next_key": KEYS[Action.CALL_NEXT]}


def paused(is_paused: bool) -> str:
    if is_paused:
        return word("paused_now", **_resume_words())
    return word("resumed")


def paused_panel() -> str:
    """The ticket panel of a paused counter with nobody at it."""
    return word("paused_panel", **_resume_words())


def printer_fault(kiosk: str, message: str) -> str:
    """``message``: the kiosk's own words for what is wrong."""
    detail = message.strip().rstrip(".") or word("unknown_fault")
    return word("printer_fault", kiosk=kiosk, detail=detail)


def help_wanted(kiosk: str, location: str) -> str:
    place = location or word("help_at_kiosk", kiosk=kiosk)
    return word("help_wanted", place=place)


def unserved(service: str, waiting: int) -> str:
    # No counter serving it has its program open and working (none, or all paused).
    return word("unserved", waiting=waiting, service=service)


def ticket_summary(ticket: wire.Ticket, service: str) -> str:
    return f"{ticket.number} · {service}"


def ahead_words(ahead: int) -> str:
    return word("next_in_line") if ahead == 0 else word("ahead", ahead=ahead)


def issued_here(ticket: wire.Ticket, service: str) -> str:
    """The status line after a number was given to a citizen at the counter."""
    return word("issued_here", number=ticket.number, service=service,
                ahead=ahead_words(ticket.ahead))


def waiting_in_list(code: str, name: str, waiting: int) -> str:
    """A service in a dialog's list: ``A   Hộ tịch   ·  3 chờ``."""
    return f"{code}   {name}   ·  {word('waiting_in_list', count=waiting)}"
