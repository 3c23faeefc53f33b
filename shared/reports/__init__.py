"""Reports for the leader and the province: the figures of ``shared.core.report`` as an
Excel workbook in the layout of Vietnamese administrative reports, or as CSV and JSON."""
