"""Fixture writers for exports made with a non-English interface: the headers as written out
here (literal, per language), the language's date order and decimal mark.

Each writer takes the same few canonical rows as the English writers and returns a path.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from tests.support.exports.common import write_lines

# Business Suite Facebook post export: post id, page name, description, publish time,
# permalink, post type, date, then views, reach, reactions, comments, shares.
MBS_HEADERS = {
    "nl": ["Bericht-ID", "Paginanaam", "Beschrijving", "Publicatietijd", "Permalink",
           "Berichttype", "Datum", "Weergaven", "Bereik", "Reacties", "Opmerkingen",
           "Deelacties"],
    "pt": ["Identificação da publicação", "Nome da Página", "Descrição",
           "Horário de publicação", "Link permanente", "Tipo de publicação", "Data",
           "Visualizações", "Alcance", "Reações", "Comentários", "Compartilhamentos"],
    "es": ["Identificador de la publicación", "Nombre de la página", "Descripción",
           "Hora de publicación", "Enlace permanente", "Tipo de publicación", "Fecha",
           "Visualizaciones", "Alcance", "Reacciones", "Comentarios", "Veces que se compartió"],
    "de": ["Beitrags-ID", "Seitenname", "Beschreibung", "Veröffentlichungszeitpunkt",
           "Permalink", "Beitragstyp", "Datum", "Aufrufe", "Reichweite", "Reaktionen",
           "Kommentare", "Geteilte Inhalte"],
    "fr": ["ID de la publication", "Nom de la Page", "Description", "Heure de publication",
           "Lien permanent", "Type de publication", "Date", "Vues", "Couverture", "Réactions",
           "Commentaires", "Partages"],
    "ja": ["投稿ID", "ページ名", "説明", "公開時間", "パーマリンク", "投稿タイプ", "日付",
           "ビュー", "リーチ", "リアクション", "コメント", "シェア"],
}  # fmt: skip
LIFETIME = {"nl": "Totaal", "pt": "Vitalício", "es": "De por vida", "de": "Gesamte Laufzeit",
            "fr": "À vie", "ja": "全期間"}  # fmt: skip
TIME_FORMAT = {"nl": "%d-%m-%Y %H:%M", "pt": "%d/%m/%Y %H:%M", "es": "%d/%m/%Y %H:%M",
               "de": "%d.%m.%Y %H:%M", "fr": "%d/%m/%Y %H:%M", "ja": "%Y/%m/%d %H:%M"}  # fmt: skip


def number_in(language: str, value: float) -> str:
    """1234.5 as the language writes it: 1.234,5 (nl pt es de), 1 234,5 (fr), 1,234.5 (ja)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if language == "ja":
        return text
    sep = "\u202f" if language == "fr" else "."
    return text.replace(",", "_").replace(".", ",").replace("_", sep)


def write_mbs_posts_in(
    path: Path, language: str, posts: list[tuple[str, datetime, dict[str, float]]]
) -> Path:
    """(post id, published, {views, reach, reactions, comments, shares}) per row."""
    header = MBS_HEADERS[language]
    rows: list[list[object]] = [header]
    for post_id, published, metrics in posts:
        rows.append(
            [post_id, "Koffiebar Noord", "Nieuwe koffie", published.strftime(TIME_FORMAT[language]),
             f"https://www.facebook.com/koffiebarnoord/posts/{post_id}", "Foto",
             LIFETIME[language]]
            + [number_in(language, metrics.get(m, 0))
               for m in ("views", "reach", "reactions", "comments", "shares")]
        )  # fmt: skip
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    return path


X_HEADERS = {
    "nl": ["Post-ID", "Datum", "Posttekst", "Postlink", "Weergaven", "Vind-ik-leuks",
           "Interacties", "Bladwijzers", "Keren gedeeld", "Nieuwe volgers", "Antwoorden",
           "Reposts", "Profielbezoeken", "URL-klikken"],
    "es": ["ID del post", "Fecha", "Texto del post", "Enlace del post", "Impresiones",
           "Me gusta", "Interacciones", "Elementos guardados", "Veces compartido",
           "Nuevos seguidores", "Respuestas", "Reposts", "Visitas al perfil", "Clics en URL"],
}  # fmt: skip
X_DAY = {"nl": "{d} {m} {y}", "es": "{d} de {m} de {y}"}
X_MONTHS = {"nl": "november", "es": "noviembre"}


def write_x_content_in(
    path: Path, language: str, posts: list[tuple[str, int, dict[str, float]]]
) -> Path:
    """(post id, day of November 2025, {impressions, likes, replies}) per row."""
    rows: list[list[object]] = [X_HEADERS[language]]
    for post_id, day, metrics in posts:
        written = X_DAY[language].format(d=day, m=X_MONTHS[language], y=2025)
        rows.append(
            [post_id, written, "Koffie", f"https://x.com/koffiebarnoord/status/{post_id}",
             number_in(language, metrics.get("impressions", 0)),
             number_in(language, metrics.get("likes", 0)), "0", "0", "0", "0",
             number_in(language, metrics.get("replies", 0)), "0", "0", "0"]
        )  # fmt: skip
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


YOUTUBE_TOTALS = {
    "pt": ("Total.csv", ["Data", "Visualizações"]),
    "de": ("Summen.csv", ["Datum", "Aufrufe"]),
    "ja": ("合計.csv", ["日付", "視聴回数"]),
}


def write_youtube_totals_in(folder: Path, language: str, days: list[tuple[date, int]]) -> Path:
    """A Studio `Totals` file as the localised ZIP names it: ISO dates, plain counts."""
    name, header = YOUTUBE_TOTALS[language]
    lines = [",".join(header)] + [f"{d.isoformat()},{v}" for d, v in days]
    return write_lines(folder / name, lines, end="\n")


def write_youtube_zip_pt(folder: Path, name: str = "Conteúdo 2025-01-01_2025-01-31.zip") -> Path:
    """A Studio download made in Portuguese: `Dados da tabela.csv` (Total row first, videos
    with `8 de jan. de 2025` publish times) and `Total.csv` (views per day)."""
    import zipfile

    table = "\n".join(
        [
            "Conteúdo,Título do vídeo,Horário de publicação do vídeo,Visualizações",
            "Total,,,330",
            'vid00000001,Latte art,"8 de jan. de 2025",300',
            'vid00000002,Bonen,"15 de jan. de 2025",30',
        ]
    )
    totals = "Data,Visualizações\n2025-01-08,200\n2025-01-09,130\n"
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Dados da tabela.csv", table)
        archive.writestr("Total.csv", totals)
    return path


IG_PT = ["Identificação da publicação", "Identificação da conta", "Nome de usuário da conta",
         "Nome da conta", "Descrição", "Duração (s)", "Horário de publicação",
         "Link permanente", "Tipo de publicação", "Data", "Visualizações", "Alcance",
         "Curtidas", "Compartilhamentos", "Comentários", "Salvamentos"]  # fmt: skip


def write_instagram_posts_pt(
    path: Path, posts: list[tuple[str, datetime, dict[str, float]]]
) -> Path:
    """An Instagram post export made in Portuguese: (id, published, {views, reach, likes,
    shares, comments, saves}) per row; day-first times, decimal commas."""
    rows: list[list[object]] = [IG_PT]
    for post_id, published, m in posts:
        rows.append(
            [post_id, "17841400000000000", "koffiebarnoord", "Koffiebar Noord", "Café", "",
             published.strftime("%d/%m/%Y %H:%M"),
             f"https://www.instagram.com/p/{post_id}/", "Imagem do IG", "Vitalício"]
            + [number_in("pt", m.get(k, 0))
               for k in ("views", "reach", "likes", "shares", "comments", "saves")]
        )  # fmt: skip
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"))
    return path


def write_tiktok_content_es(folder: Path, videos: list[tuple[str, str, int]]) -> Path:
    """TikTok Studio Content.csv made in Spanish: (video id, post time as written, views)."""
    rows = ['"Hora","Título del video","Enlace del video","Hora de publicación",'
            '"Visualizaciones totales"']  # fmt: skip
    for video, posted, views in videos:
        link = f"https://www.tiktok.com/@koffiebar/video/{video}"
        rows.append(f'"","Café","{link}","{posted}","{number_in("es", views)}"')
    path = folder / "Content.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(rows).encode("utf-8"))
    return path
