"""Logging filter that keeps ID numbers out of every log line (P-04)."""

import logging

from .idnumbers import mask_id_numbers_in


class MaskIdNumbersFilter(logging.Filter):
    """Render the message, mask any ID number in it, and pass the record on."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_id_numbers_in(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
