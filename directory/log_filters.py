"""Logging filter that keeps ID numbers out of every log line (P-04)."""

import logging

from .idnumbers import mask_id_numbers_in


class MaskIdNumbersFilter(logging.Filter):
    """Mask any ID number in every part of a record that a formatter prints.

    The message is rendered with its arguments and masked; the exception's traceback is
    formatted here and masked (a unique-violation error quotes the row it refused, ID number
    included); so is the stack. A formatter finds ``exc_text`` set and prints it as it is.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the line
            message = f"{record.msg!s} {record.args!r}"
        masked = mask_id_numbers_in(message)
        if masked != message or record.args:
            # Arguments are folded into the message so that no handler renders them again.
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_id_numbers_in(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_id_numbers_in(record.stack_info)
        return True
