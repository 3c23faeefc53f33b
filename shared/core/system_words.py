"""What goes wrong in the machinery, in words: the server's port and files, the voice,
the printer. In Vietnamese here, in English and any other language in the ``system``
catalogue (``shared/languages/en/system.po``); the IT person reads these at a terminal
or in a log, the reader's language chosen as for the office file's problems.

Pure: the standard library and ``shared.core.phrase``.
"""

from __future__ import annotations

from typing import Final

from shared.core.phrase import phrasebook

TEXTS: Final[dict[str, str]] = {  # key: Vietnamese
    "cannot_listen": ("Không mở được cổng {host}:{port}: {reason}. Có thể một máy chủ motcua "
                      "khác đang chạy trên máy này; hãy chọn cổng khác bằng --port."),
    "data_dir_unusable": ("Không dùng được thư mục dữ liệu {path}: {reason}. Hãy chạy máy chủ "
                          "bằng người dùng sở hữu thư mục, hoặc chọn --data-dir khác."),
    "data_dir_in_use": ("Một máy chủ motcua khác (tiến trình {holder}) đang dùng thư mục dữ "
                        "liệu {path}. Hãy dừng nó trước, hoặc dùng --data-dir khác cho máy chủ "
                        "này."),
    "duplicate_server": ("Đã có máy chủ motcua của văn phòng “{office}” chạy ở {host}:{port} "
                         "(“{name}”). Mỗi văn phòng chỉ có một máy chủ: hãy dùng máy chủ đó, "
                         "hoặc dừng nó trước khi chạy máy chủ mới."),
    "database_unopened": "Không mở được cơ sở dữ liệu {path}: {problem}",
    "database_unwritten": "Không ghi được vào cơ sở dữ liệu {path}: {problem}",
    "devices_unopened": "Không mở được danh sách thiết bị {path}: {problem}",
    "devices_unwritten": "Không ghi được danh sách thiết bị {path}: {problem}",
    "not_ec_key": "{path} không phải khoá đường cong elliptic.",
    "server_stopped_at_start": "máy chủ của văn phòng dừng ngay khi khởi động: {why}",
    "server_silent": "máy chủ của văn phòng không trả lời ở {host}:{port} trong {seconds:.0f} giây",
    "exit_code": "mã thoát {code}",
    "cancelled": "đã huỷ",
    "server_not_started": "không khởi động được máy chủ của văn phòng ({problem})",
    "server_address": "--server {address!r}: viết địa chỉ dạng MÁY:CỔNG, như 192.168.1.10:8765",
    "no_speech_engine": "không có bộ tổng hợp giọng nói",
    "nothing_to_say": "không có gì để đọc: câu trống",
    "no_wav_folder": "không ghi được {path}: thư mục không tồn tại",
    "speech_timeout": "bộ tổng hợp giọng nói không đọc xong trong {seconds:g} giây",
    "speech_unstartable": "không chạy được bộ tổng hợp giọng nói {command} ({problem})",
    "speech_voice_failed": "{reason} (giọng {voice!r})",
    "speech_silent": "bộ tổng hợp giọng nói không tạo ra tiếng nào với giọng {voice!r}",
    "no_pyttsx3": "chưa cài pyttsx3 ({problem})",
    "pyttsx3_no_engine": ("không có bộ tổng hợp giọng nói: pyttsx3 không khởi động được (trên "
                          "Linux hãy cài eSpeak NG: apt install espeak-ng) — {problem}"),
    "no_such_voice": "bộ tổng hợp giọng nói không có giọng {voice!r} (có {count} giọng{hint})",
    "similar_voices": "; giọng gần giống: {voices}",
    "speech_failed": "bộ tổng hợp giọng nói gặp lỗi: {problem}",
    "speech_cut": "bộ tổng hợp giọng nói dừng trước khi hết câu",
    "audio_unreadable": "không đọc được {path}: {problem}",
    "audio_width": "{path}: không dùng được mẫu âm thanh {width} byte",
    "audio_unwritable": "không ghi được {path}: {problem}",
    "po_unreadable": "không đọc được ({error}) — bỏ qua tệp này",
    "po_places": ("{key!r}: bản dịch phải có đúng các chỗ điền như tiếng Việt ({want}) — bỏ qua "
                  "bản dịch này"),
    "po_unknown_key": "{key!r} không phải một câu của {domain} (tệp dịch cũ?)",
    "po_changed": "{key!r}: câu tiếng Việt đã đổi từ khi dịch; hãy dịch lại",
    "font_missing": "phông chữ {path} không tồn tại hoặc không có chữ tiếng Việt",
    "no_font": ("không tìm thấy phông chữ có chữ tiếng Việt để in vé; hãy cài DejaVu Sans "
                "(Debian/Ubuntu: apt install fonts-dejavu-core) hoặc chỉ ra tệp phông chữ"),
    "unknown_profile": "không có mẫu máy in {profile!r}; các mẫu có: {known}",
    "profile_no_tcvn3": "mẫu máy in {profile!r} không có bảng mã TCVN-3; hãy in vé dạng ảnh",
    "text_mode_profile": ("in chữ cần ghi mẫu máy in làm profile, loại có bảng mã TCVN-3 (ví dụ "
                          "TM-T88V), không phải {profile!r}; tắt chế độ in chữ để in ảnh"),
}
said: Final = phrasebook(TEXTS)
