#!/usr/bin/env python3
"""Reads an .xlsx file with openpyxl (PyPI), an independent reader, and prints every sheet's cells
as JSON: {"sheet": [[{"value": ..., "type": "s"|"n"|"f"|...}, ...], ...]}. A cell Excel would
evaluate has type "f" (formula). Used by the integration tests of the attendance exports."""

import json
import sys

import openpyxl

book = openpyxl.load_workbook(sys.argv[1])
out = {}
for sheet in book.worksheets:
    out[sheet.title] = [
        [{"value": cell.value, "type": cell.data_type} for cell in row] for row in sheet.iter_rows()
    ]
print(json.dumps(out))
