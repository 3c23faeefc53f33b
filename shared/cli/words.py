"""What the command line says to the IT person, in Vietnamese here and in English (and
any language with a catalogue, ``shared/languages/<code>/cli.po``) when ``MOTCUA_LANG``
asks for it: results, refusals, tables' headings.

The office file's problems are the ``config`` catalogue's (``shared.core.config_words``),
``--help`` is the ``help`` catalogue's.
"""

from __future__ import annotations

from typing import Final

from shared.languages.catalogue import Catalogue
from shared.languages.command_line import text

TEXTS: Final[dict[str, str]] = {  # key: Vietnamese
    "device_id_needed": "`motcua devices {action}` cần mã thiết bị (xem `motcua devices list`).",
    "bad_day": "Ngày “{day}” không đúng: viết như 2026-12-01.",
    "admin_name_needed": "`motcua admins {action}` cần tên quản trị viên.",
    "user_name_needed": "`motcua user {action}` cần tên đăng nhập.",
    "official_id_needed": ("`motcua officials {action}` cần mã cán bộ (xem `motcua officials "
                           "list`)."),
    "bookings_file_needed": "`motcua bookings import` cần tên tệp (.csv hoặc .xlsx).",
    "not_a_day": "“{text}” không phải ngày: viết như 2026-12-03.",
    "bookings_key_how": "Viết `motcua bookings key add TÊN`, `key remove TÊN` hoặc `key list`.",
    "bookings_key_what": "`motcua bookings key {target}`: viết add, remove hoặc list.",
    "languages_file_needed": "`motcua languages check` cần tên tệp, ví dụ hmn/kiosk.po.",
    "publish_how": ("Viết: motcua central config publish MÃ-ĐIỂM TỆP.toml, hoặc publish "
                    "--defaults TỆP.toml."),
    "central_user_needed": "`motcua central user {what}` cần tên đăng nhập.",
    "site_id_needed": "`motcua central site {what}` cần mã điểm, ví dụ phuong-ben-nghe.",
    "site_remove": "Hiện chưa hỗ trợ xoá điểm.",
    "no_such_counter": "Văn phòng không có quầy {counter} (có: {known}).",
    "unreadable_number": ("Số thứ tự “{number}” không đọc được: cần một chữ cái (hoặc không) "
                          "rồi các chữ số, như A023 hoặc 1023."),
    "config_ok": "{name} ({id}): {services} dịch vụ, {counters} quầy — tệp dùng được",
    "wrong_command": "motcua: lệnh chưa đúng: {message} — xem `{prog} --help`",
    "cannot_load": "motcua: không nạp được lệnh {name}: {problem}",
    "bookings_taken": ("Đã nhận {count} lịch hẹn từ {file}: {added} mới, {changed} thay đổi, "
                       "{unchanged} không đổi."),
    "no_file": "Không có tệp {path}.",
    "csv_or_xlsx": "{file}: chỉ nhận tệp .csv hoặc .xlsx.",
    "csv_not_utf8": "{file}: không phải văn bản UTF-8; trong Excel, lưu bằng “CSV UTF-8”.",
    "file_empty": "{file}: tệp trống.",
    "xlsx_unreadable": "{file}: không đọc được tệp Excel ({problem}).",
    "no_sheet": "{file}: không có trang tính “{sheet}” (có: {known}).",
    "sheet_empty": "{file}: trang tính trống.",
    "no_bookings_on": "Không có lịch hẹn ngày {day}.",
    "col_slot": "Giờ",
    "col_code": "Mã",
    "col_service": "Dịch vụ",
    "col_name": "Họ tên",
    "col_source": "Nguồn",
    "bookings_count": "{count} lịch hẹn",
    "api_key_made": ("Khoá API của “{name}” (chỉ hiện một lần; lưu lại ngay):\n\n  {key}\n\nGửi "
                     "kèm mỗi yêu cầu: Authorization: Bearer <khoá>"),
    "no_api_key": "Chưa có khoá API nào: `motcua bookings key add TÊN`.",
    "api_key_line": "{name}: tạo {added}, dùng lần cuối {used}",
    "api_key_removed": "Đã xoá khoá API của “{name}”.",
    "column_how": "--column {pair}: viết TRƯỜNG=TIÊU ĐỀ, như code=\"Mã hồ sơ\" (trường: {fields}).",
    "no_data_dir_here": ("Không có thư mục dữ liệu {path}: chạy lệnh trên máy chủ, với "
                         "--data-dir như `motcua serve`."),
    "no_data_dir": ("Không có thư mục dữ liệu {path}: chạy `motcua serve --data-dir {path}` một "
                    "lần trước, hoặc ghi --data-dir của máy chủ."),
    "database_needed": ("Cần địa chỉ cơ sở dữ liệu PostgreSQL: --database postgresql:///motcua "
                        "(xem docs/central.md)."),
    "bad_site_id": ("{site!r}: mã điểm chỉ gồm chữ thường a-z, số và dấu gạch ngang, ví dụ "
                    "phuong-ben-nghe (như [office] id của điểm)."),
    "cannot_connect": "Không kết nối được {database}: {problem}.",
    "site_added_file": ("Đã thêm điểm {site}; khoá ở {path} (chỉ chủ tệp đọc được): chép sang "
                        "máy chủ của điểm, ghi vào [central] key_file."),
    "site_added": ("Đã thêm điểm {site}. Khoá của điểm (chỉ hiện một lần; ghi vào tệp [central] "
                   "key_file trên máy chủ của điểm):\n{key}"),
    "no_sites": "Chưa có điểm nào (motcua central site add).",
    "site_never": "chưa gửi",
    "site_stopped": "DỪNG: {reason}",
    "site_ok": "bình thường",
    "site_line": "{id:24} {name:32} sự kiện {seq:>9}  {seen}  {state}",
    "minutes": "{minutes} phút",
    "site_beat": ("lúc {at}: đang chờ {waiting} (lâu nhất {longest}), quầy mở "
                  "{open}/{counters}, hôm nay đã cấp {issued} số, đã phục vụ {served}, vắng "
                  "{absent}"),
    "site_alerts": ", {count} cảnh báo",
    "site_config": "cấu hình: chạy {running}, phát hành {published}",
    "site_config_waiting": ", chờ ngày sau {version}",
    "site_config_refused": "; điểm từ chối: {why}",
    "user_name_shape": "Tên đăng nhập: 1 đến 64 ký tự, không có dấu cách.",
    "central_user_added": "Tài khoản “{name}” đăng nhập được vào trang các điểm của tỉnh.",
    "no_account": "Không có tài khoản “{name}”.",
    "account_removed": ("Đã xoá tài khoản “{name}”; phiên đăng nhập của tài khoản này kết thúc "
                        "ngay."),
    "no_central_users": "Chưa có tài khoản nào: `motcua central user add TÊN`.",
    "never_signed_in": "chưa đăng nhập",
    "site_resumed": ("Điểm {site} được nhận nhật ký lại, tiếp sau sự kiện {after}; các sự kiện "
                     "sau đó sẽ được gửi lại và kiểm tra như thường."),
    "cannot_read": "Không đọc được {path}: {reason}.",
    "published_site": "Đã lưu tệp của điểm {site}.",
    "published_defaults": "Đã lưu tệp mặc định của tỉnh.",
    "published_version": "  {site}: cấu hình số {version}, dùng từ đầu ngày làm việc sau",
    "published_nothing": "  Không điểm nào thay đổi.",
    "output_needed": "Cần --output TỆP.xlsx (hoặc .csv, .json).",
    "central_report_made": "{output}: {sites} điểm, đã cấp {issued} số.",
    "no_devices": "Chưa có thiết bị nào được ghép nối.",
    "col_id": "Mã",
    "col_acts_as": "Làm",
    "col_device_name": "Tên",
    "col_enrolled": "Ghép nối",
    "col_last_seen": "Lần cuối",
    "col_state": "Trạng thái",
    "revoked_state": "ĐÃ THU HỒI {at}",
    "active_state": "hoạt động",
    "col_admin": "Quản trị viên",
    "col_added": "Thêm lúc",
    "no_admins": "Chưa có quản trị viên: `motcua admins add TÊN`.",
    "revoked": ("Đã thu hồi {id} ({acts_as}, {name}): thiết bị bị ngắt ngay và không kết nối "
                "lại được."),
    "allowed": "{id} có thể ghép nối lại bằng mã ghép nối.",
    "admin_name_shape": "Tên quản trị viên: 1 đến 128 ký tự.",
    "admin_added": "Quản trị viên “{name}” đăng nhập được bằng mật khẩu này (văn phòng {office}).",
    "admin_removed": "Đã xoá quản trị viên “{name}”.",
    "passwords_differ": "Hai lần nhập không giống nhau; không thay đổi gì.",
    "prompt_password": "Mật khẩu: ",
    "prompt_again": "Nhập lại: ",
    "password_short": "Mật khẩu cần ít nhất {count} ký tự; không thay đổi gì.",
    "no_officials": ("Văn phòng chưa có cán bộ nào trong tệp cấu hình: thêm [[officials]] (xem "
                     "docs/officials.md)."),
    "pin_set": "{name} có thể đăng nhập tại quầy bằng mã PIN này.",
    "no_pin": "{name} chưa có mã PIN; không thay đổi gì.",
    "pin_removed": "Đã xoá mã PIN của {name}: không đăng nhập được nữa cho đến khi có mã mới.",
    "no_official": "Không có cán bộ “{id}” trong tệp cấu hình (có: {known}).",
    "pins_differ": "Hai lần nhập không giống nhau; không thay đổi gì.",
    "pin_shape": "Mã PIN gồm 4 đến 8 chữ số; không thay đổi gì.",
    "col_full_name": "Họ và tên",
    "col_title": "Chức vụ",
    "col_pin": "Mã PIN",
    "col_signed_in": "Đang ở",
    "pin_set_at": "đặt lúc {at}",
    "no_pin_state": "CHƯA CÓ",
    "at_counter": "quầy {number}",
    "prompt_new_pin": "Mã PIN mới: ",
    "report_made": "{output}: {days} ngày có hoạt động, đã cấp {issued} số.",
    "to_before_from": "Ngày --to {end} sớm hơn ngày --from {start}.",
    "unknown_format": "Không biết định dạng “{suffix}”: dùng .xlsx, .csv hoặc .json.",
    "day_needed": "Cần {option} YYYY-MM-DD.",
    "option_day": "{option} “{text}”: viết ngày như 2026-12-01.",
    "no_role": "Không có vai trò “{role}”; chỉ có leader hoặc admin.",
    "desk_user_added": "Tài khoản “{name}” ({role}) đăng nhập được vào bàn làm việc của lãnh đạo.",
    "no_desk_users": "Chưa có tài khoản nào: `motcua user add TÊN --role leader`.",
    "col_role": "Vai trò",
    "role_leader": "lãnh đạo (leader)",
    "role_admin": "quản trị (admin)",
    "no_sound_device": ("máy này không có thiết bị âm thanh; dùng --wav TỆP để ghi câu thông "
                        "báo ra tệp rồi nghe ở máy khác"),
    "no_speech": "không có giọng đọc ({problem}); câu thông báo chỉ có tiếng chuông",
    "cannot_play": "không phát được câu thông báo: {problem}",
    "spoken_both": "chuông + {repeat} × câu gọi",
    "spoken_chime": "chỉ tiếng chuông",
    "wav_written": "{path}: {seconds:.2f} giây ({what})",
    "playing": "đang phát {seconds:.2f} giây ({what}) …",
    "pack_summary": ("Gói giọng đọc “{name}” ({folder}): {clips} đoạn ghi âm; cấu hình cần "
                     "{needed} cụm từ."),
    "pack_missing": "Thiếu {count} cụm từ (sẽ được đọc bằng giọng máy):",
    "pack_more": "  … và {count} cụm từ nữa",
    "pack_faulty": "{count} đoạn cần ghi lại:",
    "pack_ok": "Đủ và tốt: mọi câu gọi số đều đọc bằng giọng của văn phòng.",
    "languages_folders": "Thư mục ngôn ngữ của văn phòng:",
    "not_made_yet": "  (chưa có)",
    "po_named": "{path}: tên tệp phải là tên chương trình: {names}.",
    "no_such_file": "{path}: không có tệp này.",
    "translated": "{path}: {language} ({code}), {done}/{total} câu đã dịch",
    "still_vietnamese": "  chưa dịch (hiện bằng tiếng Việt): {keys}",
    "demo_running": ("motcua demo: văn phòng chạy ở {url}, dữ liệu trong {folder}.\nBấm một "
                     "dịch vụ trên máy cấp số, gọi số ở một quầy, xem màn hình sảnh.\nLịch hẹn "
                     "để thử “Tôi đã đặt lịch” trên máy cấp số: {bookings}.\nBàn làm việc của "
                     "lãnh đạo: {desk} (tài khoản {user}, mật khẩu {password}; trình duyệt cảnh "
                     "báo một lần về chứng chỉ riêng của bản chạy thử).\nĐóng một cửa sổ bất kỳ "
                     "hoặc bấm Ctrl+C để dừng tất cả."),
    "demo_no_bookings": "hôm nay không có",
    "demo_stopped": "motcua demo: đã dừng; không còn chương trình nào chạy.",
}
CATALOGUE: Final = Catalogue("cli", TEXTS)


def say(key: str, /, **values: object) -> str:
    """The text ``key`` in the command line's language, with ``values`` filled in."""
    return text(CATALOGUE, key, **values)
