"""The words of the leader's desk, in Vietnamese first and English second.

Pure: keys in, sentences out; the templates only lay them out.
"""

from __future__ import annotations

from typing import Final, Literal

from shared.core.live_view import Alert, CounterState, HallNotice

Language = Literal["vi", "en"]

TEXTS: Final[dict[str, tuple[str, str]]] = {
    "desk": ("Bàn làm việc của lãnh đạo", "The leader's desk"),
    "switch": ("English", "Tiếng Việt"),
    "sign_in": ("Đăng nhập", "Sign in"),
    "sign_out": ("Đăng xuất", "Sign out"),
    "name": ("Tên đăng nhập", "User name"),
    "password": ("Mật khẩu", "Password"),
    "wrong": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."),
    "slow": ("Nhập sai nhiều lần liên tiếp: hãy thử lại sau {seconds} giây.",
             "Too many wrong tries in a row: try again in {seconds} seconds."),
    "expired": ("Phiên làm việc đã hết hạn: hãy đăng nhập lại.",
                "Your session has ended: please sign in again."),
    "accounts": ("Tài khoản được tạo trên máy chủ: motcua user add TÊN --role leader",
                 "Accounts are made on the server: motcua user add NAME --role leader"),
    "offline": ("Mất kết nối với máy chủ — đang kết nối lại…",
                "Lost the connection to the server — reconnecting…"),
    "updated": ("Cập nhật lúc {time}", "Updated at {time}"),
    "alerts": ("Cảnh báo", "Alerts"),
    "no_alerts": ("Không có cảnh báo.", "No alerts."),
    "long_wait": ("{service}: người chờ lâu nhất đã chờ {minutes} phút (ngưỡng {threshold} "
                  "phút).", "{service}: the longest wait is {minutes} minutes (threshold "
                  "{threshold})."),
    "no_counter": ("{service}: {waiting} người đang chờ nhưng không có quầy nào mở.",
                   "{service}: {waiting} waiting and no counter open."),
    "no_counter_long": ("{service}: {waiting} người đang chờ nhưng không có quầy nào mở; lâu "
                        "nhất đã chờ {minutes} phút (ngưỡng {threshold} phút).",
                        "{service}: {waiting} waiting and no counter open; the longest wait "
                        "is {minutes} minutes (threshold {threshold})."),
    "sound": ("Âm báo", "Sound"),
    "help": ("Công dân cần hỗ trợ tại {where}.", "A citizen needs help at {where}."),
    "kiosk": ("máy cấp số {kiosk}", "kiosk {kiosk}"),
    "printer": ("Máy in ở máy cấp số {kiosk} gặp sự cố: {detail}. Công dân vẫn nhận số trên "
                "màn hình.", "The printer of kiosk {kiosk} fails: {detail}. Citizens still "
                "get their number on screen."),
    "unknown": ("không rõ lỗi", "unknown fault"),
    "waiting": ("Đang chờ", "Waiting"),
    "waiting_total": ("{count} người đang chờ", "{count} waiting"),
    "service": ("Dịch vụ", "Service"),
    "people": ("Số người", "People"),
    "longest": ("Chờ lâu nhất", "Longest wait"),
    "minutes": ("{minutes} phút", "{minutes} min"),
    "counters": ("Quầy", "Counters"),
    "counter": ("Quầy", "Counter"),
    "state": ("Trạng thái", "State"),
    "official": ("Cán bộ", "Official"),
    "served": ("Đã phục vụ", "Served"),
    "serving": ("Đang phục vụ {number}", "Serving {number}"),
    "free": ("Đang trống", "Free"),
    "paused": ("Tạm dừng", "Paused"),
    "closed": ("Chưa mở", "Closed"),
    "nobody": ("—", "—"),
    "officials": ("Cán bộ hôm nay", "Officials today"),
    "at_counter": ("tại quầy {counter}", "at counter {counter}"),
    "no_officials": ("Chưa có lượt phục vụ nào được ghi cho cán bộ.",
                     "No citizen served by a signed-in official yet."),
    "today": ("Hôm nay so với ngày làm việc trước", "Today against the last working day"),
    "figure": ("Chỉ số", "Figure"),
    "today_col": ("Hôm nay", "Today"),
    "yesterday_col": ("Ngày {day}", "{day}"),
    "no_day_before": ("Ngày trước", "Day before"),
    "issued": ("Số đã cấp", "Numbers issued"),
    "served_row": ("Đã phục vụ", "Served"),
    "absent": ("Vắng mặt", "Absent"),
    "average_wait": ("Chờ trung bình", "Average wait"),
    "bookings_row": ("Lịch hẹn: đã đến / đã đặt", "Bookings: checked in / booked"),
    "ratings": ("Sự hài lòng hôm nay", "Satisfaction today"),
    "rated": ("{count} lượt đánh giá", "{count} ratings"),
    "report": ("Báo cáo Excel", "Excel report"),
    "from": ("Từ ngày", "From"),
    "to": ("Đến ngày", "To"),
    "download": ("Tải về", "Download"),
    "audit": ("Kiểm tra nhật ký", "Audit the log"),
    "audit_day": ("Ngày", "Day"),
    "check": ("Kiểm tra", "Check"),
    "audit_clean": ("Đạt: nhật ký nguyên vẹn, mọi lượt gọi đúng quy tắc.",
                    "Clean: the log is whole and every call followed the rules."),
    "audit_not_clean": ("Chưa đạt: xem chi tiết bên dưới.", "Not clean: see below."),
    "back": ("← Bàn làm việc", "← The desk"),
    "bad_day": ("Ngày không đúng: viết như 2026-12-01.", "Not a day: write it like 2026-12-01."),
    "officials_page": ("Cán bộ tại quầy", "Officials at the counters"),
    "admins_only": ("Chỉ tài khoản quản trị (admin) làm được việc này.",
                    "Only an admin account can do this."),
    "pin_state": ("Mã PIN", "PIN"),
    "pin_since": ("đặt lúc {when}", "set {when}"),
    "pin_none": ("chưa có", "none"),
    "signed_at": ("Đang ở", "Signed in at"),
    "new_pin": ("Mã PIN mới", "New PIN"),
    "again": ("Nhập lại", "Again"),
    "set_pin": ("Đặt mã PIN", "Set the PIN"),
    "sign_out_here": ("Đăng xuất khỏi quầy {counter}", "Sign out of counter {counter}"),
    "pin_set": ("Đã đặt mã PIN mới.", "The new PIN is set."),
    "signed_out": ("Đã đăng xuất cán bộ khỏi quầy.", "The official is signed out."),
    "pins_differ": ("Hai lần nhập mã PIN không giống nhau; không thay đổi gì.",
                    "The two PINs differ; nothing changed."),
    "pin_shape": ("Mã PIN gồm 4 đến 8 chữ số; không thay đổi gì.",
                  "A PIN has 4 to 8 digits; nothing changed."),
    "no_official": ("Không có cán bộ này.", "No such official."),
    "no_counter_here": ("Không có quầy này.", "No such counter."),
    "no_officials_listed": ("Văn phòng chưa khai báo cán bộ ([[officials]] trong tệp cấu hình).",
                            "The office lists no officials ([[officials]] in its file)."),
    "devices_page": ("Thiết bị", "Devices"),
    "device": ("Thiết bị", "Device"),
    "acts_as": ("Vai trò", "Acts as"),
    "last_seen": ("Kết nối lần cuối", "Last seen"),
    "device_state": ("Trạng thái", "State"),
    "active": ("Đang hoạt động", "active"),
    "revoked_at": ("đã thu hồi lúc {when}", "revoked at {when}"),
    "revoke_button": ("Thu hồi", "Revoke"),
    "allow_button": ("Cho ghép nối lại", "Allow again"),
    "hall_col": ("Khu vực", "Hall"),
    "whole_office": ("Cả văn phòng", "The whole office"),
    "assign": ("Gán", "Assign"),
    "revoke": ("Đã thu hồi: thiết bị bị ngắt kết nối và bị từ chối cho đến khi được cho "
               "phép lại.",
               "The device is revoked: disconnected now, refused from now on."),
    "allow": ("Thiết bị có thể ghép nối lại bằng mã ghép nối.",
              "The device may enrol again with the pairing code."),
    "hall": ("Đã gán khu vực: màn hình kết nối lại và chỉ hiện khu vực đó.",
             "The hall is assigned: the display reconnects and shows that hall only."),
    "no_devices": ("Chưa có thiết bị nào được ghép nối.", "No device is enrolled yet."),
    "no_device": ("Yêu cầu không hợp lệ.", "Not a valid request."),
    "bad_dates": ("Ngày không đúng: chọn từ ngày và đến ngày (từ ngày trước).",
                  "Wrong dates: choose a start and an end, the start first."),
}


def tr(key: str, language: Language, **values: object) -> str:
    vi, en = TEXTS[key]
    text = vi if language == "vi" else en
    return text.format(**values) if values else text


def counter_words(state: CounterState, current: str | None, language: Language) -> str:
    if state == "serving":
        return tr("serving", language, number=current or "")
    return tr(state, language)


def alert_words(alert: Alert, language: Language) -> str:
    key = "no_counter_long" if alert.kind == "no_counter" and alert.over else alert.kind
    return tr(key, language, service=alert.service, waiting=alert.waiting,
              minutes=alert.minutes, threshold=alert.threshold)


def notice_words(notice: HallNotice, language: Language) -> str:
    if notice.kind == "help":
        where = notice.detail or tr("kiosk", language, kiosk=notice.kiosk)
        return tr("help", language, where=where)
    return tr("printer", language, kiosk=notice.kiosk,
              detail=notice.detail.strip().rstrip(".") or tr("unknown", language))


def minutes_words(seconds: float | None, language: Language) -> str:
    if seconds is None:
        return "—"
    return tr("minutes", language, minutes=int(seconds // 60))
