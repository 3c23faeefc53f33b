"""The words of the central view, in Vietnamese (English: shared/languages/en/central.po).

Pure: keys in, sentences out.
"""

from __future__ import annotations

from typing import Final

from shared.languages.catalogue import Catalogue

Language = str

TEXTS: Final[dict[str, str]] = {  # key: Vietnamese
    "title": "Các điểm phục vụ hành chính công",
    "province": "Toàn tỉnh",
    "sign_in": "Đăng nhập",
    "sign_out": "Đăng xuất",
    "name": "Tên đăng nhập",
    "password": "Mật khẩu",
    "wrong": "Sai tên đăng nhập hoặc mật khẩu.",
    "slow": "Nhập sai nhiều lần liên tiếp: hãy thử lại sau {seconds} giây.",
    "accounts": "Tài khoản được tạo trên máy chủ tỉnh: motcua central user add TÊN",
    "site": "Điểm",
    "heard": "Liên lạc",
    "waiting": "Đang chờ",
    "longest": "Chờ lâu nhất",
    "counters": "Quầy mở",
    "today": "Hôm nay: cấp / phục vụ / vắng",
    "events": "Sự kiện đã nhận",
    "state": "Tình trạng",
    "seconds_ago": "{seconds} giây trước",
    "lost": "Mất liên lạc từ {time}",
    "never": "Chưa liên lạc",
    "ok": "Bình thường",
    "stopped": "DỪNG: {reason}",
    "minutes": "{minutes} phút",
    "long_wait": "{service}: {waiting} người chờ, lâu nhất {minutes} phút",
    "no_counter": "{service}: {waiting} người chờ, không có quầy mở",
    "updated": "Cập nhật lúc {time}",
    "offline": "Mất kết nối với máy chủ tỉnh — đang kết nối lại…",
    "sites_count": "{count} điểm",
    "config": "Cấu hình: chạy / phát hành",
    "config_waiting": "bản {version} chờ ngày làm việc sau",
    "config_refused": "điểm từ chối: {problem}",
    "satisfied": "Hài lòng hôm nay",
    "satisfied_share": "{share} của {rated} lượt",
    "reports": "Báo cáo",
    "report_from": "Từ ngày",
    "report_to": "Đến ngày",
    "report_sites": "Các điểm (không chọn điểm nào: toàn tỉnh)",
    "report_title": "Đơn vị lập báo cáo nhiều điểm",
    "report_format": "Định dạng",
    "report_download": "Tải báo cáo",
    "report_note": "Báo cáo một điểm có cùng số liệu như báo cáo tại điểm đó (trừ lịch hẹn, "
                   "chỉ điểm mới có); báo cáo nhiều điểm có thêm trang so sánh các điểm.",
    "report_wrong_day": "Hãy chọn ngày bắt đầu và ngày kết thúc.",
    "report_order": "Ngày kết thúc đứng trước ngày bắt đầu.",
    "report_wrong_format": "Định dạng báo cáo là Excel (.xlsx), CSV hoặc JSON.",
    "report_too_long": "Một báo cáo dài nhất {days} ngày: hãy chọn kỳ ngắn hơn.",
    "report_busy": "Đang lập một báo cáo khác; vui lòng thử lại sau ít phút.",
    "report_failed": "Không đọc được cơ sở dữ liệu của tỉnh để lập báo cáo; vui lòng thử lại "
                     "sau. Quản trị viên xem nhật ký của máy chủ tỉnh.",
}

CATALOGUE: Final = Catalogue("central", TEXTS)


def tr(key: str, language: Language, **values: object) -> str:
    return CATALOGUE.text(key, language, **values)


language_of = CATALOGUE.chosen
other_languages = CATALOGUE.others
