"""Tabular exports (CSV, XLSX) shared by every part of Relais that lets a user download a table.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula ("CSV injection"): every text cell goes through
``relais.exports.cells.neutralise`` before it is written.

    from relais.exports.tabular import Sheet, export_response

    sheet = Sheet(title="Demandes", header=["Origine", "Nombre"], rows=[["Médecin", 3]])
    return export_response([sheet], fmt="xlsx", filename="demandes-2026")
"""
