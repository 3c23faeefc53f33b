"""What is wrong in an office file, in words: every problem the reader of a file can
find, in Vietnamese here, in English and any other language in the ``config``
catalogue (``shared/languages/en/config.po``).

The IT person of a ward reads these at a terminal, often first thing: they are said
in Vietnamese unless the command line is asked for another language (``MOTCUA_LANG``).
Keys, table names and values are quoted as the file writes them, since the reader
looks for them there.

Pure: the standard library and ``shared.core.phrase``.
"""

from __future__ import annotations

from typing import Final

from shared.core.phrase import phrasebook

TEXTS: Final[dict[str, str]] = {  # key: Vietnamese
    # Where, and how many.
    "where_line": "{source}, dòng {line}",
    "many": "{source}: {count} lỗi:",
    # Reading the file.
    "cannot_read": "không đọc được tệp ({reason})",
    "not_utf8": "tệp không phải văn bản UTF-8; hãy lưu lại dưới dạng UTF-8",
    "toml_at": "sai cú pháp TOML ở cột {column}: {problem}",
    "toml_at_end": "sai cú pháp TOML ở cuối tệp: {problem}",
    "toml": "sai cú pháp TOML: {problem}",
    # What a value is, and what it must be.
    "kind_bool": "true/false",
    "kind_integer": "một số nguyên",
    "kind_number": "một số",
    "kind_text": "văn bản",
    "kind_list": "một danh sách",
    "kind_table": "một bảng",
    "kind_date": "một ngày hoặc giờ",
    "kind_text_quoted": "văn bản trong dấu ngoặc kép",
    "kind_bool_bare": "true hoặc false (không có dấu ngoặc kép)",
    "kind_texts": "một danh sách văn bản, như [\"A\", \"B\"]",
    "kind_integers": "một danh sách số nguyên, như [1, 2]",
    "kind_table_written": "một bảng, viết [{key}]",
    "wrong_kind": "phải là {expected}, không phải {found}",
    "unknown_key_close": "khoá không hợp lệ, có phải là {close!r}?",
    "unknown_key": "khoá không hợp lệ; ở đây chỉ dùng các khoá: {allowed}",
    "required": "thiếu; khoá này bắt buộc phải có",
    "empty": "không được để trống",
    "bad_code": "{value!r} không phải mã hợp lệ; hãy dùng {like}",
    "between": "phải từ {low} đến {high}, không phải {value}",
    "one_of": "phải là một trong {listed}, không phải {value!r}",
    "one_table": "phải là một bảng, viết [{key}], không phải [[{key}]]",
    "tables": "phải là danh sách các bảng, mỗi bảng viết [[{name}]]",
    # How codes are written.
    "like_office_id": "chữ thường a-z, chữ số và dấu gạch nối, như 'phuong-ben-nghe'",
    "like_code": "1 đến 8 chữ in hoa A-Z hoặc chữ số, như {example!r}",
    "like_category": "chữ thường, chữ số, '-' hoặc '_', như {example!r}",
    "like_site": ("chữ thường a-z, chữ số và dấu gạch nối, đúng như đã đưa cho "
                  "`motcua central site add`"),
    # The office, its services and counters.
    "no_office": "thiếu; tệp cần bảng [office] có id và name",
    "unknown_timezone": ("{timezone!r} không phải múi giờ hợp lệ; múi giờ Việt Nam là "
                         "'Asia/Ho_Chi_Minh'"),
    "defined_twice": "{what} {code} được khai báo hai lần",
    "what_field": "lĩnh vực",
    "what_category": "nhóm ưu tiên",
    "what_reason": "lý do",
    "what_official": "cán bộ",
    "what_hall": "sảnh",
    "what_counter": "quầy",
    "what_service": "dịch vụ",
    "no_service": "chưa khai báo dịch vụ nào; hãy thêm ít nhất một [[services]]",
    "prefix_taken": ("chữ đầu {prefix!r} đã dùng cho dịch vụ {other!r}; hai dịch vụ sẽ cấp "
                     "trùng số"),
    "unknown_pictogram": ("{name!r} không phải hình biểu tượng có sẵn của motcua (có: "
                          "{known}), cũng không phải tệp .svg"),
    "pictogram_unreadable": "không đọc được {path} ({reason})",
    "pictogram_too_big": "{path} phải là ảnh SVG không quá 16 KB",
    "prefix_for_code": ("thiếu; mã {code!r} không phải một chữ cái, nên hãy ghi chữ cái "
                        "đứng đầu số của dịch vụ, như prefix = \"A\""),
    "prefix_letter": "phải là một chữ in hoa A-Z, không phải {prefix!r}",
    "prefix_for_block": ("thiếu; dịch vụ đánh số theo khối cần chữ số đứng đầu các số, "
                         "như prefix = \"1\" cho 1001, 1002, …"),
    "prefix_digit": "phải là một chữ số 1-9, không phải {prefix!r}",
    "unknown_field": "{field!r} không phải mã trong [[fields]] (có: {known})",
    "no_field": "chưa khai báo lĩnh vực nào",
    "not_weekday": "{text!r} không phải thứ trong tuần; viết \"mon\" … \"sun\"",
    "window_unreadable": "không đọc được {text!r}; viết khoảng giờ như \"07:00-11:15\"",
    "window_not_time": ("{text!r} không phải giờ trong ngày; giờ từ 00 đến 23, phút từ 00 "
                        "đến 59"),
    "window_backwards": "{text!r}: giờ bắt đầu phải sớm hơn giờ kết thúc",
    "window_overlaps": "{text!r} trùng với {other!r}",
    "no_counter": "chưa khai báo quầy nào; hãy thêm ít nhất một [[counters]]",
    "served_by_none": ("dịch vụ {code!r} không có quầy nào phục vụ, nên số của dịch vụ "
                       "này sẽ không bao giờ được gọi; hãy thêm nó vào services của một "
                       "quầy"),
    "no_service_listed": "phải có ít nhất một mã dịch vụ, như [\"A\", \"B\"]",
    "not_service": "{code!r} không phải mã dịch vụ (có: {known})",
    "listed_twice": "{code!r} được ghi hai lần",
    "rating_scale": ("phải là 3 (Rất hài lòng / Hài lòng / Không hài lòng) hoặc 5 (sao), "
                     "không phải {scale}"),
    # The voice's sentence.
    "template_placeholder": ("câu thông báo {template!r} dùng chỗ điền {{{name}}} không hợp "
                             "lệ; các chỗ điền dùng được: {known}"),
    "template_brace": ("câu thông báo {template!r} có dấu ngoặc nhọn lẻ; chỗ điền được viết "
                       "trong ngoặc nhọn, là một trong: {known}"),
    # The printer.
    "text_needs_profile": ("chế độ in chữ cần `profile` của máy in (loại có bảng mã TCVN-3, "
                           "như \"TM-T88V\"); bỏ mode đi để in ảnh"),
    "width_dots": ("phải là 384 (giấy 58 mm), 512 hoặc 576 (giấy 80 mm), hoặc không ghi khoá này, "
                   "không phải {width}"),
    "qr_brace": ("có dấu ngoặc nhọn lẻ; chỗ điền được viết {number}, {service} hoặc "
                 "{office}"),
    "qr_placeholder": ("chỗ điền {{{name}}} không hợp lệ; hãy dùng {{number}}, {{service}} "
                       "hoặc {{office}}"),
    "printer_spec": "máy in {spec!r}: {problem}. Các cách viết hợp lệ: {forms}",
    "printer_forms": (
        "usb:VID:PID (hệ 16, ví dụ usb:0x0416:0x5011 hoặc usb:0416:5011), "
        "serial:DEVICE[:BAUD] (ví dụ serial:/dev/ttyUSB0:9600 hoặc serial:COM3), "
        "network:HOST[:PORT] (ví dụ network:192.168.1.50 hoặc network:192.168.1.50:9100), "
        "file:PATH (ví dụ file:/dev/usb/lp0), cups:TÊN, win32:TÊN, hoặc none"),
    "spec_none_alone": "sau none không được ghi gì thêm",
    "spec_no_kind": "chưa ghi loại máy in",
    "spec_needs_path": "{kind}: cần đường dẫn sau dấu hai chấm",
    "spec_needs_name": "{kind}: cần tên máy in sau dấu hai chấm",
    "spec_unknown_kind": "không có loại máy in {kind!r}",
    "spec_usb_ids": "usb: cần mã nhà sản xuất và mã sản phẩm, như usb:0416:5011",
    "spec_vendor_hex": ("mã nhà sản xuất {part!r} không phải 1 đến 4 chữ số hệ 16 (xem "
                        "lsusb, hoặc Device Manager trên Windows)"),
    "spec_product_hex": ("mã sản phẩm {part!r} không phải 1 đến 4 chữ số hệ 16 (xem lsusb, "
                         "hoặc Device Manager trên Windows)"),
    "spec_vendor_zero": "mã nhà sản xuất 0000 không ứng với thiết bị nào",
    "spec_baud": "tốc độ baud {baud} không phải một trong {known}",
    "spec_serial": "serial: cần tên thiết bị, như serial:/dev/ttyUSB0 hoặc serial:COM3",
    "spec_ipv6": "địa chỉ IPv6 được viết trong ngoặc vuông, như network:[fe80::1]:9100",
    "spec_not_host": "{host!r} không phải tên máy hay địa chỉ IP",
    "spec_no_host": "network: cần tên máy hoặc địa chỉ IP",
    "spec_port": "cổng {port!r} không phải số từ 1 đến 65535",
    # The rest of the office.
    "page_url": ("phải là địa chỉ mà điện thoại dùng để vào máy chủ này, như "
                 "\"http://192.168.1.10:8765\", không phải {url!r}"),
    "no_counter_listed": "phải có ít nhất một số quầy, như [1, 2]",
    "not_a_counter": "{number} không phải quầy của văn phòng này (các quầy: {known})",
    "in_two_halls": "quầy {number} đã thuộc sảnh {hall!r}; mỗi quầy chỉ ở một sảnh",
    "in_no_hall": "khi chia sảnh, mỗi quầy phải thuộc một sảnh; chưa thuộc sảnh nào: {left}",
    "certificate_pair": ("ghi cả chứng chỉ và khoá của nó, hoặc không ghi cái nào (khi đó "
                         "motcua tự tạo)"),
    "central_https": ("máy chủ của tỉnh được kết nối qua HTTPS: viết https://ĐỊA-CHỈ:CỔNG, "
                      "như https://trung-tam.tinh.gov.vn:8770"),
}

said: Final = phrasebook(TEXTS)  # the problem ``key``, with its values
