"""Header vocabularies: one table per platform family, concept → language → header names.

The readers never list a language: they ask `names(TABLE, concept)` for a concept's header in
every language, or `mapping(TABLE, {concept: metric})` for header → metric. Names are
compared as `norm` writes them (lower case, single spaces). English and Dutch names are taken
from real exports; Portuguese, Spanish, German, French and Japanese names follow the
platforms' own interface wording for each metric (their help centres), since no real export
in those languages was at hand: a name that differs is refused with the headers seen, and
adding it here is the fix.
"""

from __future__ import annotations

from collections.abc import Iterable

from sostac_control.formats.languages import LANGUAGE_NAMES, LANGUAGES

Vocabulary = dict[str, dict[str, tuple[str, ...]]]

# Meta Business Suite: Facebook and Instagram post exports.
META: Vocabulary = {
    "post id": {"en": ("post id",), "nl": ("bericht-id", "post-id", "berichtid"),
                "pt": ("id da publicação", "identificação da publicação"),
                "es": ("identificador de la publicación", "id. de la publicación",
                       "id de la publicación"),
                "de": ("beitrags-id",), "fr": ("id de la publication",
                                               "identifiant de la publication"),
                "ja": ("投稿id",)},
    "publish time": {"en": ("publish time",),
                     "nl": ("publicatietijd", "tijdstip van publicatie"),
                     "pt": ("horário de publicação", "hora de publicação"),
                     "es": ("hora de publicación",),
                     "de": ("veröffentlichungszeitpunkt", "veröffentlichungszeit"),
                     "fr": ("heure de publication",), "ja": ("公開時間", "公開日時")},
    "page name": {"en": ("page name",), "nl": ("paginanaam",), "pt": ("nome da página",),
                  "es": ("nombre de la página",), "de": ("seitenname",),
                  "fr": ("nom de la page",), "ja": ("ページ名",)},
    "account username": {"en": ("account username",),
                         "nl": ("accountgebruikersnaam", "gebruikersnaam van account"),
                         "pt": ("nome de usuário da conta",),
                         "es": ("nombre de usuario de la cuenta",),
                         "de": ("benutzername des kontos",),
                         "fr": ("nom d’utilisateur du compte", "nom d'utilisateur du compte"),
                         "ja": ("アカウントのユーザーネーム",)},
    "post type": {"en": ("post type",), "nl": ("berichttype", "type bericht"),
                  "pt": ("tipo de publicação",), "es": ("tipo de publicación",),
                  "de": ("beitragstyp", "beitragsart"), "fr": ("type de publication",),
                  "ja": ("投稿タイプ",)},
    "text": {"en": ("description", "title"), "nl": ("beschrijving", "titel"),
             "pt": ("descrição", "título"), "es": ("descripción", "título"),
             "de": ("beschreibung", "titel"), "fr": ("description", "titre"),
             "ja": ("説明", "タイトル")},
    "permalink": {"en": ("permalink",), "nl": ("permanente link",),
                  "pt": ("link permanente",), "es": ("enlace permanente",),
                  "fr": ("lien permanent",), "ja": ("パーマリンク",)},
    "custom labels": {"en": ("custom labels",), "nl": ("aangepaste labels",),
                      "pt": ("rótulos personalizados",), "es": ("etiquetas personalizadas",),
                      "de": ("benutzerdefinierte labels",),
                      "fr": ("libellés personnalisés",), "ja": ("カスタムラベル",)},
    "date": {"en": ("date",), "nl": ("datum",), "pt": ("data",), "es": ("fecha",),
             "de": ("datum",), "fr": ("date",), "ja": ("日付",)},
    # metrics
    "views": {"en": ("views",), "nl": ("weergaven",), "pt": ("visualizações",),
              "es": ("visualizaciones",), "de": ("aufrufe",), "fr": ("vues",),
              "ja": ("ビュー", "閲覧数")},
    "reach": {"en": ("reach",), "nl": ("bereik",), "pt": ("alcance",), "es": ("alcance",),
              "de": ("reichweite",), "fr": ("couverture",), "ja": ("リーチ",)},
    "impressions": {"en": ("impressions",), "nl": ("impressies", "weergaven (impressies)"),
                    "pt": ("impressões",), "es": ("impresiones",), "de": ("impressionen",),
                    "fr": ("impressions",), "ja": ("インプレッション",)},
    "reactions": {"en": ("reactions", "likes"), "nl": ("vind-ik-leuks", "reacties op bericht"),
                  "pt": ("reações", "curtidas"), "es": ("reacciones", "me gusta"),
                  "de": ("reaktionen", "gefällt mir", "„gefällt mir“-angaben"),
                  "fr": ("réactions", "j’aime", "j'aime"),
                  "ja": ("リアクション", "いいね！", "いいね")},
    "comments": {"en": ("comments",), "nl": ("opmerkingen",), "pt": ("comentários",),
                 "es": ("comentarios",), "de": ("kommentare",), "fr": ("commentaires",),
                 "ja": ("コメント",)},
    "shares": {"en": ("shares",), "nl": ("gedeeld", "deelacties"),
               "pt": ("compartilhamentos",), "es": ("veces que se compartió", "compartidos"),
               "de": ("geteilte inhalte", "mal geteilt"), "fr": ("partages",),
               "ja": ("シェア",)},
    "saves": {"en": ("saves",), "nl": ("opgeslagen",), "pt": ("salvamentos",),
              "es": ("veces guardado", "guardados"), "de": ("gespeichert", "speicherungen"),
              "fr": ("enregistrements",), "ja": ("保存",)},
    "follows": {"en": ("follows",), "nl": ("volgacties", "nieuwe volgers"),
                "pt": ("seguimentos",), "es": ("seguimientos",), "de": ("neue follower",),
                "fr": ("abonnements",), "ja": ("フォロー",)},
    "total clicks": {"en": ("total clicks",), "nl": ("klikken in totaal",
                                                      "totaal aantal klikken"),
                     "pt": ("total de cliques",), "es": ("clics totales",),
                     "de": ("klicks insgesamt",), "fr": ("total des clics",),
                     "ja": ("合計クリック数",)},
    "link clicks": {"en": ("link clicks",), "nl": ("linkklikken", "klikken op link"),
                    "pt": ("cliques no link",), "es": ("clics en el enlace",),
                    "de": ("link-klicks",), "fr": ("clics sur un lien", "clics sur le lien"),
                    "ja": ("リンクのクリック",)},
    "visits": {"en": ("visits", "page visits", "profile visits"),
               "nl": ("bezoeken", "profielbezoeken", "paginabezoeken"),
               "pt": ("visitas", "visitas à página", "visitas ao perfil"),
               "es": ("visitas", "visitas a la página", "visitas al perfil"),
               "de": ("besuche", "seitenbesuche", "profilbesuche"),
               "fr": ("visites", "visites de la page", "visites du profil"),
               "ja": ("アクセス", "ページへのアクセス", "プロフィールへのアクセス")},
    "content interactions": {"en": ("content interactions",), "nl": ("contentinteracties",),
                             "pt": ("interações com o conteúdo",),
                             "es": ("interacciones con el contenido",),
                             "de": ("interaktionen mit inhalten",),
                             "fr": ("interactions avec le contenu",),
                             "ja": ("コンテンツのインタラクション",)},
    "primary": {"en": ("primary",), "nl": ("primair",), "pt": ("principal",),
                "es": ("principal",), "de": ("primär",), "fr": ("principal",),
                "ja": ("プライマリ",)},
    "3-second video views": {"en": ("3-second video views",),
                             "nl": ("videoweergaven van 3 seconden",),
                             "pt": ("visualizações de vídeo de 3 segundos",),
                             "es": ("reproducciones de video de 3 segundos",),
                             "de": ("3-sekunden-videowiedergaben",),
                             "fr": ("vues de vidéo de 3 secondes",),
                             "ja": ("3秒動画再生数",)},
    "interactions": {"en": ("reactions, comments and shares", "interactions"),
                     "nl": ("reacties, opmerkingen en deelacties", "interacties"),
                     "pt": ("reações, comentários e compartilhamentos", "interações"),
                     "es": ("reacciones, comentarios y veces que se compartió",
                            "interacciones"),
                     "de": ("reaktionen, kommentare und geteilte inhalte", "interaktionen"),
                     "fr": ("réactions, commentaires et partages",),
                     "ja": ("リアクション、コメント、シェア", "インタラクション")},
}  # fmt: skip

# X (2024+ content export).
X: Vocabulary = {
    "post id": {"en": ("post id",), "nl": ("post-id",), "pt": ("id do post",),
                "es": ("id del post",), "de": ("post-id",), "fr": ("id du post",),
                "ja": ("ポストid",)},
    "date": META["date"],
    "post text": {"en": ("post text",), "nl": ("posttekst",), "pt": ("texto do post",),
                  "es": ("texto del post",), "de": ("post-text",), "fr": ("texte du post",),
                  "ja": ("ポスト本文",)},
    "post link": {"en": ("post link",), "nl": ("postlink",), "pt": ("link do post",),
                  "es": ("enlace del post",), "de": ("post-link",), "fr": ("lien du post",),
                  "ja": ("ポストのリンク",)},
    "impressions": {"en": ("impressions",), "nl": ("weergaven", "impressies"),
                    "pt": ("impressões",), "es": ("impresiones",), "de": ("impressionen",),
                    "fr": ("impressions",), "ja": ("インプレッション",)},
    "likes": {"en": ("likes",), "nl": ("vind-ik-leuks",), "pt": ("curtidas",),
              "es": ("me gusta",), "de": ("gefällt mir", "likes"), "fr": ("j'aime", "j’aime"),
              "ja": ("いいね",)},
    "engagements": {"en": ("engagements",), "nl": ("interacties",),
                    "pt": ("engajamentos",), "es": ("interacciones",),
                    "de": ("interaktionen",), "fr": ("engagements",),
                    "ja": ("エンゲージメント",)},
    "bookmarks": {"en": ("bookmarks",), "nl": ("bladwijzers",), "pt": ("itens salvos",),
                  "es": ("elementos guardados",), "de": ("lesezeichen",),
                  "fr": ("signets",), "ja": ("ブックマーク",)},
    "shares": {"en": ("shares",), "nl": ("keren gedeeld", "gedeeld"),
               "pt": ("compartilhamentos",), "es": ("veces compartido",),
               "de": ("geteilt",), "fr": ("partages",), "ja": ("共有",)},
    "new follows": {"en": ("new follows",), "nl": ("nieuwe volgers",),
                    "pt": ("novos seguidores",), "es": ("nuevos seguidores",),
                    "de": ("neue follower",), "fr": ("nouveaux abonnés",),
                    "ja": ("新しいフォロー",)},
    "replies": {"en": ("replies",), "nl": ("antwoorden",), "pt": ("respostas",),
                "es": ("respuestas",), "de": ("antworten",), "fr": ("réponses",),
                "ja": ("返信",)},
    "reposts": {"en": ("reposts",), "ja": ("リポスト",)},
    "profile visits": {"en": ("profile visits",), "nl": ("profielbezoeken",),
                       "pt": ("visitas ao perfil",), "es": ("visitas al perfil",),
                       "de": ("profilbesuche",), "fr": ("visites du profil",),
                       "ja": ("プロフィールへのアクセス",)},
    "url clicks": {"en": ("url clicks",), "nl": ("url-klikken",),
                   "pt": ("cliques no url", "cliques na url"), "es": ("clics en url",),
                   "de": ("url-klicks",), "fr": ("clics sur l'url", "clics sur l’url"),
                   "ja": ("urlクリック数",)},
}  # fmt: skip

# TikTok Studio: Overview.csv, FollowerHistory.csv, Content.csv.
TIKTOK: Vocabulary = {
    "date": META["date"],
    "video views": {"en": ("video views",), "nl": ("videoweergaven",),
                    "pt": ("visualizações de vídeo",), "es": ("visualizaciones de videos",),
                    "de": ("videoaufrufe",), "fr": ("vues de vidéos",), "ja": ("動画視聴数",)},
    "profile views": {"en": ("profile views",), "nl": ("profielweergaven",),
                      "pt": ("visualizações do perfil",), "es": ("visualizaciones del perfil",),
                      "de": ("profilaufrufe",), "fr": ("vues du profil",),
                      "ja": ("プロフィール表示回数",)},
    "likes": {"en": ("likes",), "nl": ("vind-ik-leuks",), "pt": ("curtidas",),
              "es": ("me gusta",), "de": ("likes",), "fr": ("j'aime", "j’aime"),
              "ja": ("いいね",)},
    "comments": META["comments"],
    "shares": {"en": ("shares",), "nl": ("keren gedeeld",), "pt": ("compartilhamentos",),
               "es": ("veces compartido",), "de": ("geteilt",), "fr": ("partages",),
               "ja": ("シェア",)},
    "reached audience": {"en": ("reached audience",), "nl": ("bereikt publiek",),
                         "pt": ("público alcançado",), "es": ("audiencia alcanzada",),
                         "de": ("erreichte zuschauer",), "fr": ("audience atteinte",),
                         "ja": ("リーチしたオーディエンス",)},
    # Content.csv: one row per video
    "video link": {"en": ("video link",), "nl": ("videolink",), "pt": ("link do vídeo",),
                   "es": ("enlace del video",), "de": ("videolink",),
                   "fr": ("lien de la vidéo",), "ja": ("動画リンク",)},
    "post time": {"en": ("post time", "posted on"), "nl": ("plaatsingstijd", "geplaatst op"),
                  "pt": ("horário da publicação", "publicado em"),
                  "es": ("hora de publicación", "publicado el"),
                  "de": ("veröffentlichungszeit", "gepostet am"),
                  "fr": ("heure de publication", "publié le"), "ja": ("投稿時間", "投稿日")},
    "total views": {"en": ("total views",), "nl": ("totaal aantal weergaven",),
                    "pt": ("total de visualizações",), "es": ("visualizaciones totales",),
                    "de": ("aufrufe insgesamt",), "fr": ("total des vues",),
                    "ja": ("総視聴数",)},
    "total likes": {"en": ("total likes",), "nl": ("totaal aantal vind-ik-leuks",),
                    "pt": ("total de curtidas",), "es": ("total de me gusta",),
                    "de": ("likes insgesamt",), "fr": ("total des j'aime",),
                    "ja": ("いいねの総数",)},
    "total comments": {"en": ("total comments",), "nl": ("totaal aantal opmerkingen",),
                       "pt": ("total de comentários",), "es": ("total de comentarios",),
                       "de": ("kommentare insgesamt",), "fr": ("total des commentaires",),
                       "ja": ("コメントの総数",)},
    "total shares": {"en": ("total shares",), "nl": ("totaal aantal keren gedeeld",),
                     "pt": ("total de compartilhamentos",), "es": ("total de veces compartido",),
                     "de": ("geteilt insgesamt",), "fr": ("total des partages",),
                     "ja": ("シェアの総数",)},
    "followers": {"en": ("followers",), "nl": ("volgers",), "pt": ("seguidores",),
                  "es": ("seguidores",), "de": ("follower",), "fr": ("abonnés",),
                  "ja": ("フォロワー",)},
}  # fmt: skip

# YouTube Studio advanced-mode downloads (and the names of the files inside its ZIP).
YOUTUBE: Vocabulary = {
    "date": META["date"],
    "views": {"en": ("views",), "nl": ("weergaven",), "pt": ("visualizações",),
              "es": ("visualizaciones",), "de": ("aufrufe",), "fr": ("vues",),
              "ja": ("視聴回数",)},
    "watch time (hours)": {"en": ("watch time (hours)",), "nl": ("kijktijd (uren)",),
                           "pt": ("tempo de exibição (horas)",),
                           "es": ("tiempo de visualización (horas)",),
                           "de": ("wiedergabezeit (stunden)",),
                           "fr": ("durée de visionnage (heures)",),
                           "ja": ("総再生時間（単位: 時間）", "総再生時間 (時間)")},
    "subscribers": {"en": ("subscribers",), "nl": ("abonnees",), "pt": ("inscritos",),
                    "es": ("suscriptores",), "de": ("abonnenten",), "fr": ("abonnés",),
                    "ja": ("チャンネル登録者",)},
    "impressions": {"en": ("impressions",), "nl": ("vertoningen",), "pt": ("impressões",),
                    "es": ("impresiones",), "de": ("impressionen",), "fr": ("impressions",),
                    "ja": ("インプレッション数",)},
    "content": {"en": ("content",), "nl": ("inhoud",), "pt": ("conteúdo",),
                "es": ("contenido",), "de": ("inhalt",), "fr": ("contenu",),
                "ja": ("コンテンツ",)},
    "video title": {"en": ("video title",), "nl": ("videotitel",),
                    "pt": ("título do vídeo",), "es": ("título del video",),
                    "de": ("videotitel",), "fr": ("titre de la vidéo",),
                    "ja": ("動画のタイトル",)},
    "video publish time": {"en": ("video publish time",), "nl": ("publicatietijd video",),
                           "pt": ("horário de publicação do vídeo",),
                           "es": ("hora de publicación del video",),
                           "de": ("veröffentlichungszeitpunkt des videos",),
                           "fr": ("heure de publication de la vidéo",),
                           "ja": ("動画公開時刻",)},
    "geography": {"en": ("geography",), "nl": ("geografie",), "pt": ("geografia",),
                  "es": ("geografía",), "de": ("geografie",), "fr": ("zone géographique",),
                  "ja": ("地域",)},
    "total": {"en": ("total",), "nl": ("totaal",), "pt": ("total",), "es": ("total",),
              "de": ("gesamt", "insgesamt"), "fr": ("total",), "ja": ("合計",)},
    # the files inside a Studio download
    "table data.csv": {"en": ("table data.csv",), "nl": ("tabelgegevens.csv",),
                       "pt": ("dados da tabela.csv",), "es": ("datos de la tabla.csv",),
                       "de": ("tabellendaten.csv",), "fr": ("données du tableau.csv",),
                       "ja": ("表データ.csv",)},
    "chart data.csv": {"en": ("chart data.csv",), "nl": ("diagramgegevens.csv",),
                       "pt": ("dados do gráfico.csv",), "es": ("datos del gráfico.csv",),
                       "de": ("diagrammdaten.csv",), "fr": ("données du graphique.csv",),
                       "ja": ("グラフデータ.csv",)},
    "totals.csv": {"en": ("totals.csv",), "nl": ("totalen.csv",),
                   "pt": ("total.csv", "totais.csv"), "es": ("totales.csv", "total.csv"),
                   "de": ("summen.csv", "gesamt.csv"), "fr": ("totaux.csv",),
                   "ja": ("合計.csv",)},
}  # fmt: skip

FAMILIES: dict[str, Vocabulary] = {
    "Meta Business Suite": META,
    "X": X,
    "TikTok Studio": TIKTOK,
    "YouTube Studio": YOUTUBE,
}


def names(table: Vocabulary, concept: str) -> tuple[str, ...]:
    """The header names of `concept` in every language, English first, without repeats."""
    by_language = table[concept]
    found = [n for lang in LANGUAGES for n in by_language.get(lang, ())]
    return tuple(dict.fromkeys(found))


def mapping(table: Vocabulary, concepts: dict[str, str]) -> dict[str, str]:
    """{header name in any language: value} for {concept: value}."""
    out: dict[str, str] = {}
    for concept, value in concepts.items():
        for name in names(table, concept):
            out.setdefault(name, value)
    return out


def language_of(table: Vocabulary, headers: Iterable[str]) -> str | None:
    """The language whose own names (not shared with English) the headers use most."""
    english = {n for words in table.values() for n in words.get("en", ())}
    seen = set(headers)
    score = {
        lang: sum(
            1
            for words in table.values()
            for n in words.get(lang, ())
            if n in seen and n not in english
        )
        for lang in LANGUAGES
        if lang != "en"
    }
    best = max(score, key=lambda lang: score[lang])
    if score[best]:
        return best
    return "en" if seen & english else None


def known_languages() -> str:
    return ", ".join(LANGUAGE_NAMES[lang] for lang in LANGUAGES)
