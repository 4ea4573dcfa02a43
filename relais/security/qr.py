"""QR code as inline SVG: drawn by the server, no image service, no inline style."""

import segno


def qr_svg(data: str) -> str:
    return segno.make(data, error="m").svg_inline(
        scale=5,
        dark="#000",
        light="#fff",
        border=4,
        title="QR code à scanner avec votre application d'authentification",
        svgclass="qr-code",
        lineclass=None,
    )
