"""The words of the leader's desk, in Vietnamese first and English second.

Pure: keys in, sentences out; the templates only lay them out.
"""

from __future__ import annotations

from typing import Final

from shared.core.live_view import Alert, CounterState, HallNotice
from shared.languages.catalogue import Catalogue

# The desk's language is its code: "vi", "en", or one an office added a catalogue for.
Language = str

TEXTS: Final[dict[str, str]] = {  # key: Vietnamese (English: shared/languages/en)
    "desk": "Bàn làm việc của lãnh đạo",
    "sign_in": "Đăng nhập",
    "sign_out": "Đăng xuất",
    "name": "Tên đăng nhập",
    "password": "Mật khẩu",
    "wrong": "Sai tên đăng nhập hoặc mật khẩu.",
    "slow": "Nhập sai nhiều lần liên tiếp: hãy thử lại sau {seconds} giây.",
    "expired": "Phiên làm việc đã hết hạn: hãy đăng nhập lại.",
    "accounts": "Tài khoản được tạo trên máy chủ: motcua user add TÊN --role leader",
    "offline": "Mất kết nối với máy chủ — đang kết nối lại…",
    "updated": "Cập nhật lúc {time}",
    "alerts": "Cảnh báo",
    "no_alerts": "Không có cảnh báo.",
    "long_wait": "{service}: người chờ lâu nhất đã chờ {minutes} phút (ngưỡng {threshold} "
                  "phút).",
    "no_counter": "{service}: {waiting} người đang chờ nhưng không có quầy nào mở.",
    "no_counter_long": "{service}: {waiting} người đang chờ nhưng không có quầy nào mở; lâu "
                        "nhất đã chờ {minutes} phút (ngưỡng {threshold} phút).",
    "sound": "Âm báo",
    "help": "Công dân cần hỗ trợ tại {where}.",
    "kiosk": "máy cấp số {kiosk}",
    "printer": "Máy in ở máy cấp số {kiosk} gặp sự cố: {detail}. Công dân vẫn nhận số trên "
                "màn hình.",
    "unknown": "không rõ lỗi",
    "waiting": "Đang chờ",
    "waiting_total": "{count} người đang chờ",
    "service": "Dịch vụ",
    "people": "Số người",
    "longest": "Chờ lâu nhất",
    "minutes": "{minutes} phút",
    "counters": "Quầy",
    "counter": "Quầy",
    "state": "Trạng thái",
    "official": "Cán bộ",
    "served": "Đã phục vụ",
    "serving": "Đang phục vụ {number}",
    "free": "Đang trống",
    "paused": "Tạm dừng",
    "closed": "Chưa mở",
    "nobody": "—",
    "officials": "Cán bộ hôm nay",
    "at_counter": "tại quầy {counter}",
    "no_officials": "Chưa có lượt phục vụ nào được ghi cho cán bộ.",
    "today": "Hôm nay so với ngày làm việc trước",
    "figure": "Chỉ số",
    "today_col": "Hôm nay",
    "yesterday_col": "Ngày {day}",
    "no_day_before": "Ngày trước",
    "issued": "Số đã cấp",
    "served_row": "Đã phục vụ",
    "absent": "Vắng mặt",
    "average_wait": "Chờ trung bình",
    "bookings_row": "Lịch hẹn: đã đến / đã đặt",
    "ratings": "Sự hài lòng hôm nay",
    "rated": "{count} lượt đánh giá",
    "report": "Báo cáo Excel",
    "from": "Từ ngày",
    "to": "Đến ngày",
    "download": "Tải về",
    "audit": "Kiểm tra nhật ký",
    "audit_day": "Ngày",
    "check": "Kiểm tra",
    "audit_clean": "Đạt: nhật ký nguyên vẹn, mọi lượt gọi đúng quy tắc.",
    "audit_not_clean": "Chưa đạt: xem chi tiết bên dưới.",
    "back": "← Bàn làm việc",
    "bad_day": "Ngày không đúng: viết như 2026-12-01.",
    "officials_page": "Cán bộ tại quầy",
    "admins_only": "Chỉ tài khoản quản trị (admin) làm được việc này.",
    "pin_state": "Mã PIN",
    "pin_since": "đặt lúc {when}",
    "pin_none": "chưa có",
    "signed_at": "Đang ở",
    "new_pin": "Mã PIN mới",
    "again": "Nhập lại",
    "set_pin": "Đặt mã PIN",
    "sign_out_here": "Đăng xuất khỏi quầy {counter}",
    "pin_set": "Đã đặt mã PIN mới.",
    "signed_out": "Đã đăng xuất cán bộ khỏi quầy.",
    "pins_differ": "Hai lần nhập mã PIN không giống nhau; không thay đổi gì.",
    "pin_shape": "Mã PIN gồm 4 đến 8 chữ số; không thay đổi gì.",
    "no_official": "Không có cán bộ này.",
    "no_counter_here": "Không có quầy này.",
    "no_officials_listed": "Văn phòng chưa khai báo cán bộ ([[officials]] trong tệp cấu hình).",
    "devices_page": "Thiết bị",
    "config_page": "Cấu hình của tỉnh",
    "config_running": "Điểm đang chạy bản {version} do tỉnh phát hành.",
    "config_local": "Điểm đang chạy tệp cấu hình của chính điểm.",
    "config_refused_here": "Điểm đã từ chối bản {version}: {problem}",
    "config_waiting_here": "Bản {version} chờ áp dụng từ đầu ngày làm việc sau",
    "config_changes": "Những gì bản này thay đổi so với bản đang chạy (- bỏ, + thêm):",
    "config_whole": "Toàn bộ tệp cấu hình của bản {version}",
    "config_run_now": "Áp dụng bản {version} ngay",
    "config_run_note": "Máy chủ khởi động lại với bản mới trong vài giây. Các số đang chờ "
                       "giữ nguyên chỗ; ki-ốt, quầy và màn hình tự kết nối lại.",
    "config_none_waiting": "Không có bản nào đang chờ.",
    "config_strands": "Bản {version} không còn quầy phục vụ các số đang chờ: {numbers}. Áp "
                      "dụng ngay thì những người này không được gọi: bản này sẽ áp dụng từ đầu "
                      "ngày làm việc sau. Chưa áp dụng gì.",
    "config_changed": "Bản đang chờ đã thay đổi từ lúc trang được mở: hãy xem lại rồi bấm "
                      "lần nữa. Chưa áp dụng gì.",
    "config_restarting": "Đang khởi động lại với bản {version}: tải lại trang sau vài giây.",
    "device": "Thiết bị",
    "acts_as": "Vai trò",
    "last_seen": "Kết nối lần cuối",
    "device_state": "Trạng thái",
    "active": "Đang hoạt động",
    "revoked_at": "đã thu hồi lúc {when}",
    "revoke_button": "Thu hồi",
    "allow_button": "Cho ghép nối lại",
    "hall_col": "Khu vực",
    "whole_office": "Cả văn phòng",
    "assign": "Gán",
    "revoke": "Đã thu hồi: thiết bị bị ngắt kết nối và bị từ chối cho đến khi được cho "
               "phép lại.",
    "allow": "Thiết bị có thể ghép nối lại bằng mã ghép nối.",
    "hall": "Đã gán khu vực: màn hình kết nối lại và chỉ hiện khu vực đó.",
    "no_devices": "Chưa có thiết bị nào được ghép nối.",
    "no_device": "Yêu cầu không hợp lệ.",
    "bad_dates": "Ngày không đúng: chọn từ ngày và đến ngày (từ ngày trước).",
    "central_sent": "Máy chủ tỉnh đã nhận nhật ký của điểm đến sự kiện {seq}.",
    "central_starting": "Đang kết nối máy chủ tỉnh…",
}


CATALOGUE: Final = Catalogue("desk", TEXTS)


def tr(key: str, language: Language, **values: object) -> str:
    return CATALOGUE.text(key, language, **values)


language_of = CATALOGUE.chosen  # Vietnamese unless another one the desk has is asked for
other_languages = CATALOGUE.others


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
