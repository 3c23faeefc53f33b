"""The words of ``motcua --help``: every subcommand's and option's help, in Vietnamese
here, in English and any other language in the ``help`` catalogue
(``shared/languages/en/help.po``), and argparse's own few words ("Cách dùng:").

Said in the command line's language: Vietnamese unless ``MOTCUA_LANG`` asks for another
(``MOTCUA_LANG=en motcua --help``). Option names, file names, TOML keys and examples
are written as they are typed, in every language.

argparse fills in a ``help=`` text with ``%`` (``%(default)s``): a literal percent in a
text here is written ``%%``, and ``helped`` doubles any ``%`` in the values it fills in.

Here rather than in ``shared.cli``: the screens' common options
(``shared.qt.client_setup``) are worded from here too, and ``shared.qt`` may not import
``shared.cli``. Pure: the standard library and the catalogue.
"""

from __future__ import annotations

from typing import Final

from shared.languages.catalogue import Catalogue
from shared.languages.command_line import text

TEXTS: Final[dict[str, str]] = {  # key: Vietnamese
    # argparse's own words ("usage:", "options:"); the ":" is added after each.
    "usage": "Cách dùng",
    "options": "Tuỳ chọn",
    "positionals": "Tham số",
    "help_option": "hiện trợ giúp này rồi thoát",
    # An option's value that cannot be read (after "argument --size:").
    "size_wrong": "{text!r}: viết kích thước dạng RỘNGxCAO, như 1920x1080 hoặc 1080x1920",
    # motcua
    "description": "Cấp số thứ tự, gọi số tại quầy và đọc số trong sảnh cho bộ phận "
                   "một cửa.",
    "verbose": "ghi nhật ký chi tiết hơn",
    # Options shared by several commands.
    "config": "tệp cấu hình của văn phòng (TOML); mặc định: phường mẫu có sẵn",
    "data_dir": "thư mục chứa cơ sở dữ liệu và mã ghép nối (mặc định: {default})",
    "password_stdin": "đọc mật khẩu từ dòng đầu tiên của đầu vào chuẩn",
    "printer": "usb:VID:PID, serial:DEV[:BAUD], network:HOST[:PORT], file:PATH, cups:NAME, "
               "win32:NAME hoặc none (mặc định: spec trong [printer] của văn phòng)",
    # motcua serve
    "serve": "chạy máy chủ của văn phòng (nơi duy nhất quyết định số thứ tự)",
    "serve_host": "địa chỉ lắng nghe (mặc định: mọi địa chỉ)",
    "serve_port": "cổng TCP (mặc định: port trong [server] của tệp cấu hình, 8765)",
    "serve_desk_port": "cổng HTTPS của bàn làm việc lãnh đạo (mặc định: port trong "
                       "[desk], 8766)",
    "serve_no_zeroconf": "không quảng bá máy chủ trong mạng LAN (khi đó các máy cần "
                         "host:port)",
    # motcua pair
    "pair": "hiện mã ghép nối của văn phòng (mỗi thiết bị dùng một lần khi ghép nối)",
    "pair_show": "chỉ in mã ghép nối ra đầu ra chuẩn",
    "pair_new": "thay mã mới ngay rồi in ra (thiết bị đã ghép nối vẫn hoạt động)",
    # motcua devices
    "devices": "liệt kê máy cấp số, quầy và màn hình đã ghép nối; thu hồi một thiết bị",
    "devices_action": "list: liệt kê; revoke ID: thu hồi (ngắt kết nối và từ chối thiết "
                      "bị); allow ID: cho thiết bị đã bị thu hồi ghép nối lại",
    "devices_id": "mã thiết bị, như trong danh sách",
    # motcua report
    "report": "báo cáo phục vụ của văn phòng trong một khoảng thời gian: Excel (.xlsx), "
              ".csv hoặc .json",
    "report_output": "report.xlsx, report.csv hoặc report.json: định dạng theo phần mở "
                     "rộng của tệp",
    # motcua audit
    "audit": "kiểm tra nhật ký một ngày: không bị sửa đổi, và mỗi lượt gọi đúng quy tắc",
    "audit_day": "ngày làm việc cần kiểm tra",
    # motcua admins
    "admins": "thêm hoặc xoá quản trị viên (đăng nhập bằng mật khẩu riêng)",
    "admins_name": "tên đăng nhập của quản trị viên",
    # motcua user
    "user": "tài khoản bàn làm việc lãnh đạo trên trình duyệt (lãnh đạo hoặc quản trị viên)",
    "user_name": "tên đăng nhập",
    "user_role": "leader (xem bàn làm việc) hoặc admin (xem và quản lý)",
    # motcua officials
    "officials": "liệt kê cán bộ, hoặc đặt mã PIN của một cán bộ để dùng tại quầy",
    "officials_id": "mã cán bộ, như trong [[officials]] của tệp cấu hình",
    "officials_pin_stdin": "đọc mã PIN từ dòng đầu tiên của đầu vào chuẩn",
    # motcua bookings
    "bookings": "nhập lịch hẹn từ tệp CSV hoặc XLSX, xem lịch hẹn một ngày, quản lý khoá "
                "của API",
    "bookings_target": "import: tệp cần nhập; list: ngày (mặc định: hôm nay); key: add, "
                       "remove hoặc list",
    "bookings_name": "key add/remove: tên hệ thống gửi lịch hẹn",
    "bookings_column": "tiêu đề cột trong tệp ứng với một trường, ví dụ {example} (xem "
                       "docs/bookings.md)",
    "bookings_sheet": "XLSX: trang tính cần đọc (mặc định: trang đầu tiên)",
    # motcua central
    "central": "máy chủ của tỉnh: nhật ký các điểm trên PostgreSQL (docs/central.md)",
    "central_what": "site: thêm một điểm (khoá của điểm chỉ hiện một lần), liệt kê, hoặc "
                    "cho một điểm đã bị dừng hoạt động lại; user: thêm, liệt kê hoặc xoá tài khoản "
                    "của trang tổng hợp",
    "central_site": "site add: mã điểm, như id trong [office] của điểm; user: tên đăng "
                    "nhập",
    "central_name": "site add: tên điểm; config publish: tệp cấu hình của điểm",
    "central_database": "cơ sở dữ liệu PostgreSQL, ví dụ postgresql:///motcua (mặc định: "
                        "$MOTCUA_CENTRAL_DATABASE)",
    "central_defaults": "config publish: cấu hình mặc định của tỉnh, tệp riêng của từng "
                        "điểm được ưu tiên hơn",
    "central_password_stdin": "user add: đọc mật khẩu từ dòng đầu tiên của stdin",
    "central_key_file": "site add: ghi khoá vào FILE (quyền 0600) thay vì hiện ra",
    "central_host": "serve: địa chỉ lắng nghe",
    "central_port": "serve: cổng HTTPS",
    "central_name_for_sites": "serve: tên hoặc địa chỉ mà các điểm dùng để kết nối tới "
                              "(trung-tam.tinh.gov.vn, 10.0.0.5), ghi vào chứng chỉ; có "
                              "thể lặp lại",
    "central_sites": "report: một điểm cần báo cáo, có thể lặp lại (không ghi: mọi điểm)",
    "central_from": "report: ngày đầu",
    "central_to": "report: ngày cuối",
    "central_output": "report: tinh.xlsx, .csv hoặc .json: định dạng theo phần mở rộng",
    "central_title": "báo cáo nhiều điểm: tên cơ quan báo cáo ở đầu văn bản, ví dụ "
                     "{example}",
    # motcua languages
    "languages": "ngôn ngữ của từng chương trình; kiểm tra một bản dịch",
    "languages_file": "check: tệp bản dịch, ví dụ hmn/kiosk.po (docs/languages.md)",
    # motcua demo
    "demo": "cả một văn phòng trên màn hình này: máy chủ, máy cấp số, hai quầy, màn hình "
            "sảnh",
    "demo_data_dir": "lưu cơ sở dữ liệu của bản chạy thử tại đây (mặc định: một thư mục "
                     "tạm mới)",
    # motcua speak
    "speak": "phát lời gọi một số ra loa (hoặc --wav FILE, hoặc --text)",
    "speak_number": "số thứ tự, ví dụ A023 hoặc 1023",
    "speak_counter": "số quầy",
    "speak_text": "chỉ in ra câu sẽ đọc, không phát ra loa",
    "speak_wav": "ghi lời gọi (tiếng chuông rồi câu đọc) vào một tệp WAV",
    "speak_voice_pack": "đọc bằng bộ giọng thu âm của văn phòng (docs/voice.md)",
    # motcua print-test
    "print_test": "in một vé mẫu để kiểm tra máy in",
    "print_test_width_dots": "chiều rộng in được của giấy: 384 (58 mm), 512 hoặc 576 "
                             "(80 mm); mặc định: width_dots trong [printer] của văn phòng, "
                             "nếu không có thì theo mẫu máy in (profile)",
    # motcua check-config
    "check_config": "đọc một tệp cấu hình và báo các lỗi",
    # motcua kiosk
    "kiosk": "máy cấp số màn hình cảm ứng (toàn màn hình; Ctrl+Alt+Q để thoát)",
    "kiosk_description": "Màn hình cảm ứng nơi công dân lấy số thứ tự. Chạy toàn màn hình, "
                         "không có khung cửa sổ; người vận hành thoát bằng Ctrl+Alt+Q.",
    "kiosk_windowed": "chạy trong cửa sổ thường thay vì toàn màn hình (để chạy thử, trình diễn)",
    "kiosk_touch": "ẩn con trỏ chuột (mặc định: ẩn khi toàn màn hình, hiện khi chạy trong "
                   "cửa sổ)",
    "kiosk_size": "kích thước cửa sổ khi dùng --windowed, ví dụ 1080x1920 để thử màn hình "
                  "dọc",
    # motcua display
    "display": "màn hình sảnh: hiện và đọc mọi lượt gọi số",
    "display_description": "Màn hình sảnh: số vừa gọi bằng chữ lớn, các quầy, các số vừa "
                           "gọi và số người đang chờ của từng dịch vụ, kèm tiếng chuông và "
                           "giọng đọc tiếng Việt. Chạy toàn màn hình; F11 bật/tắt toàn màn "
                           "hình, Esc thoát toàn màn hình, Ctrl+Q thoát chương trình.",
    "display_windowed": "chạy trong cửa sổ thường thay vì toàn màn hình (để chạy thử)",
    "display_portrait": "luôn dùng bố cục dọc, dù màn hình ngang hay dọc (mặc định: "
                        "theo chiều của màn hình)",
    "display_no_voice": "chỉ hiện lượt gọi, không đọc (màn hình thứ hai trong cùng sảnh; "
                        "giống [voice] enabled = false)",
    "display_hall": "ở trung tâm có nhiều sảnh ([[halls]]): sảnh đặt màn hình này; màn hình "
                    "chỉ hiện và đọc các quầy và lượt gọi của sảnh đó",
    "display_language": "ngôn ngữ hiện trên màn hình: vi (mặc định), en, hoặc một ngôn ngữ "
                        "văn phòng có bản dịch display; giọng đọc vẫn là tiếng Việt",
    # motcua voice
    "voice": "bộ giọng thu âm riêng của văn phòng: kiểm tra một bộ giọng, hoặc thu âm",
    "voice_description": "check: những câu mà cấu hình của văn phòng cần nhưng bộ giọng "
                         "còn thiếu, và những đoạn ghi âm quá nhỏ, bị vỡ tiếng hoặc có khoảng "
                         "lặng dài. record: một cửa sổ hiện từng câu còn thiếu bằng chữ lớn; "
                         "Space bắt đầu và dừng thu, L nghe lại, Enter giữ lại, → bỏ qua "
                         "(docs/voice.md).",
    "voice_pack": "thư mục của bộ giọng",
    "voice_again": "record: thu lần lượt mọi câu, kể cả những câu đã thu",
    "voice_from_wav": "record: dùng các bản ghi âm này, theo thứ tự, thay cho micrô (đã "
                      "thu ở nơi khác)",
    # The screens' connection (kiosk, counter, display).
    "client_server": "địa chỉ máy chủ của văn phòng (mặc định: tự tìm trong mạng LAN)",
    "client_pairing_code": "mã ghép nối của văn phòng (`motcua pair --show` trên máy chủ); "
                           "được ghi nhớ sau lần chạy đầu tiên",
    "client_data_dir": "thư mục dữ liệu của máy chủ, khi máy chủ chạy trên chính máy này",
}
CATALOGUE: Final = Catalogue("help", TEXTS)


def helped(key: str, /, **values: object) -> str:
    """The help text ``key`` in the command line's language, ``values`` filled in (their
    ``%`` doubled, since argparse formats a help text with ``%``)."""
    return text(CATALOGUE, key, **{name: str(value).replace("%", "%%")
                                   for name, value in values.items()})


def refusal(key: str, /, **values: object) -> str:
    """Why an option's value is refused (``argparse.ArgumentTypeError``), in the command
    line's language: argparse does not ``%``-format these, so nothing is doubled."""
    return text(CATALOGUE, key, **values)
