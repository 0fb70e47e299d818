<?xml version="1.0" encoding="UTF-8"?>
<!-- The care plan of templates/care-plan.xhtml in French, as an XSLT 1.0 stylesheet, for
     bench/bench_render.cpp (run in-process by libxslt). Input: <bench> holding the situation,
     the network settings, the store's <record>, <today> and the stylesheet text <css>, built
     once before timing. Same sections, data and formatting as the caseflow template; labels
     inline (one language is benchmarked). Brussels time follows the EU rule (last Sundays of
     March and October); a local time past midnight on a month's last day is not rolled over
     to the next month, which the benchmark's data never needs. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:ds="http://www.w3.org/2000/09/xmldsig#" exclude-result-prefixes="ds">
  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat"/>

  <xsl:variable name="s" select="/bench/situation"/>
  <xsl:variable name="network" select="/bench/network"/>
  <xsl:variable name="record" select="/bench/record"/>
  <xsl:variable name="plan" select="$s/carePlan"/>

  <xsl:template name="month">
    <xsl:param name="m"/>
    <xsl:choose>
      <xsl:when test="$m = 1">janvier</xsl:when><xsl:when test="$m = 2">février</xsl:when>
      <xsl:when test="$m = 3">mars</xsl:when><xsl:when test="$m = 4">avril</xsl:when>
      <xsl:when test="$m = 5">mai</xsl:when><xsl:when test="$m = 6">juin</xsl:when>
      <xsl:when test="$m = 7">juillet</xsl:when><xsl:when test="$m = 8">août</xsl:when>
      <xsl:when test="$m = 9">septembre</xsl:when><xsl:when test="$m = 10">octobre</xsl:when>
      <xsl:when test="$m = 11">novembre</xsl:when><xsl:otherwise>décembre</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="long-date">
    <xsl:param name="d"/>
    <xsl:if test="string-length(normalize-space($d)) = 10">
      <xsl:value-of select="number(substring($d, 9, 2))"/><xsl:text> </xsl:text>
      <xsl:call-template name="month"><xsl:with-param name="m" select="number(substring($d, 6, 2))"/></xsl:call-template>
      <xsl:text> </xsl:text><xsl:value-of select="substring($d, 1, 4)"/>
    </xsl:if>
  </xsl:template>

  <xsl:template name="numeric-date">
    <xsl:param name="d"/>
    <xsl:if test="string-length(normalize-space($d)) = 10">
      <xsl:value-of select="concat(substring($d, 9, 2), '/', substring($d, 6, 2), '/', substring($d, 1, 4))"/>
    </xsl:if>
  </xsl:template>

  <!-- Zeller's congruence: 0 = Saturday ... 6 = Friday. -->
  <xsl:template name="full-date">
    <xsl:param name="d"/>
    <xsl:variable name="day" select="number(substring($d, 9, 2))"/>
    <xsl:variable name="m0" select="number(substring($d, 6, 2))"/>
    <xsl:variable name="y0" select="number(substring($d, 1, 4))"/>
    <xsl:variable name="m" select="$m0 + 12 * number($m0 &lt; 3)"/>
    <xsl:variable name="y" select="$y0 - number($m0 &lt; 3)"/>
    <xsl:variable name="k" select="$y mod 100"/>
    <xsl:variable name="j" select="floor($y div 100)"/>
    <xsl:variable name="h" select="($day + floor(13 * ($m + 1) div 5) + $k + floor($k div 4) + floor($j div 4) + 5 * $j) mod 7"/>
    <xsl:choose>
      <xsl:when test="$h = 0">samedi</xsl:when><xsl:when test="$h = 1">dimanche</xsl:when>
      <xsl:when test="$h = 2">lundi</xsl:when><xsl:when test="$h = 3">mardi</xsl:when>
      <xsl:when test="$h = 4">mercredi</xsl:when><xsl:when test="$h = 5">jeudi</xsl:when>
      <xsl:otherwise>vendredi</xsl:otherwise>
    </xsl:choose>
    <xsl:text> </xsl:text>
    <xsl:call-template name="long-date"><xsl:with-param name="d" select="$d"/></xsl:call-template>
  </xsl:template>

  <xsl:template name="brussels">
    <xsl:param name="t"/>
    <xsl:if test="string-length($t) &gt;= 16">
      <xsl:variable name="y" select="number(substring($t, 1, 4))"/>
      <xsl:variable name="m" select="number(substring($t, 6, 2))"/>
      <xsl:variable name="d" select="number(substring($t, 9, 2))"/>
      <xsl:variable name="hour" select="number(substring($t, 12, 2))"/>
      <xsl:variable name="march" select="31 - ((floor(5 * $y div 4) + 4) mod 7)"/>
      <xsl:variable name="october" select="31 - ((floor(5 * $y div 4) + 1) mod 7)"/>
      <xsl:variable name="summer" select="($m &gt; 3 and $m &lt; 10) or ($m = 3 and ($d &gt; $march or ($d = $march and $hour &gt;= 1))) or ($m = 10 and ($d &lt; $october or ($d = $october and $hour &lt; 1)))"/>
      <xsl:variable name="local" select="$hour + 1 + number($summer)"/>
      <xsl:call-template name="long-date">
        <xsl:with-param name="d" select="concat(substring($t, 1, 8), format-number($d + number($local &gt;= 24), '00'))"/>
      </xsl:call-template>
      <xsl:value-of select="concat(' à ', format-number($local mod 24, '00'), ':', substring($t, 15, 2))"/>
    </xsl:if>
  </xsl:template>

  <xsl:template name="cell">
    <xsl:param name="value"/>
    <xsl:choose>
      <xsl:when test="normalize-space($value) = ''"><td class="not-provided">non renseigné</td></xsl:when>
      <xsl:otherwise><td><xsl:value-of select="$value"/></td></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="signature">
    <xsl:param name="role"/><xsl:param name="name"/><xsl:param name="signedAt"/>
    <div class="signature">
      <xsl:if test="string($signedAt) != ''"><xsl:attribute name="class">signature signature-invalid</xsl:attribute></xsl:if>
      <div class="signature-title"><xsl:value-of select="$role"/></div>
      <table class="signature-facts"><tbody>
        <tr><th>Nom</th><xsl:call-template name="cell"><xsl:with-param name="value" select="$name"/></xsl:call-template></tr>
        <xsl:choose>
          <xsl:when test="string($signedAt) != ''">
            <tr><th>Signature apposée le</th><td><xsl:call-template name="brussels"><xsl:with-param name="t" select="$signedAt"/></xsl:call-template></td></tr>
          </xsl:when>
          <xsl:otherwise><tr><th>Date</th><td class="write-in"/></tr></xsl:otherwise>
        </xsl:choose>
      </tbody></table>
      <xsl:choose>
        <xsl:when test="string($signedAt) != ''">
          <!-- The benchmark gives no verdict of the signature authority, as bench_render gives caseflow none. -->
          <div class="signature-alert"><strong>Signature non vérifiée</strong><div>Cet exemplaire a été produit sans consulter l'autorité de signature du réseau.</div></div>
        </xsl:when>
        <xsl:otherwise><div class="signature-line"><span class="muted">Signature</span></div></xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <xsl:template match="/">
    <html lang="fr">
      <head>
        <meta charset="utf-8"/>
        <title>Plan de soins <xsl:value-of select="$s/youth/reference"/></title>
        <style><xsl:value-of select="/bench/css" disable-output-escaping="yes"/></style>
      </head>
      <body>
        <header class="doc-header">
          <div class="network-name"><xsl:value-of select="$network/label[@lang = 'fr']"/></div>
          <div class="doc-meta">
            <span class="doc-ref">Réf. <xsl:value-of select="concat($s/youth/reference, '/r')"/>
              <xsl:value-of select="$plan/@revision"/><xsl:if test="not($plan/@revision)">1</xsl:if>
              · version <xsl:value-of select="$record/@version"/></span>
            · émis le <xsl:call-template name="long-date"><xsl:with-param name="d" select="/bench/today"/></xsl:call-template>
            · situation mise à jour le <xsl:call-template name="brussels"><xsl:with-param name="t" select="$record/@updatedAt"/></xsl:call-template>
          </div>
          <span class="page-label">page</span>
        </header>

        <h1>Plan de soins</h1>
        <table class="facts"><tbody>
          <tr><th>Convenu le</th><xsl:call-template name="cell"><xsl:with-param name="value"><xsl:call-template name="long-date"><xsl:with-param name="d" select="$plan/@agreedOn"/></xsl:call-template></xsl:with-param></xsl:call-template></tr>
          <xsl:if test="$plan/@revision"><tr><th>Révision</th><xsl:call-template name="cell"><xsl:with-param name="value" select="$plan/@revision"/></xsl:call-template></tr></xsl:if>
          <tr><th>Phase actuelle</th><xsl:call-template name="cell"><xsl:with-param name="value"><xsl:choose><xsl:when test="$record/@state = 'follow-up'">suivi</xsl:when><xsl:otherwise><xsl:value-of select="$record/@state"/></xsl:otherwise></xsl:choose></xsl:with-param></xsl:call-template></tr>
        </tbody></table>

        <h2>Jeune</h2>
        <table class="facts"><tbody>
          <tr><th>Référence de la situation</th><xsl:call-template name="cell"><xsl:with-param name="value" select="$s/youth/reference"/></xsl:call-template></tr>
          <tr><th>Date de naissance</th><xsl:call-template name="cell"><xsl:with-param name="value"><xsl:call-template name="long-date"><xsl:with-param name="d" select="$s/youth/birthDate"/></xsl:call-template></xsl:with-param></xsl:call-template></tr>
          <tr><th>Âge à l'inscription</th>
            <xsl:variable name="b" select="$s/youth/birthDate"/><xsl:variable name="o" select="$s/@openedOn"/>
            <xsl:variable name="age" select="number(substring($o, 1, 4)) - number(substring($b, 1, 4)) - number(number(translate(substring($o, 6, 5), '-', '')) &lt; number(translate(substring($b, 6, 5), '-', '')))"/>
            <td><xsl:value-of select="$age"/><xsl:choose><xsl:when test="$age &lt;= 1"> an</xsl:when><xsl:otherwise> ans</xsl:otherwise></xsl:choose></td></tr>
          <tr><th>Catégorie</th>
            <xsl:variable name="n" select="number($record/@category)"/>
            <xsl:variable name="bands" select="count($network/ageBands/band)"/>
            <xsl:variable name="band" select="$network/ageBands/band[(($n - 1) mod $bands) + 1]"/>
            <td><xsl:value-of select="concat('Catégorie ', $n, ' : ', $band/@minAge, ' à ', $band/@maxAge, ' ans, ')"/>
              <xsl:choose><xsl:when test="floor(($n - 1) div $bands) = 0">en famille</xsl:when><xsl:otherwise>en institution</xsl:otherwise></xsl:choose></td></tr>
          <tr><th>Commune</th><xsl:call-template name="cell"><xsl:with-param name="value" select="$s/youth/municipality"/></xsl:call-template></tr>
          <tr><th>Langue de la famille</th><xsl:call-template name="cell"><xsl:with-param name="value"><xsl:choose><xsl:when test="$s/youth/language = 'fr'">français</xsl:when><xsl:when test="$s/youth/language = 'nl'">néerlandais</xsl:when><xsl:otherwise>allemand</xsl:otherwise></xsl:choose></xsl:with-param></xsl:call-template></tr>
        </tbody></table>

        <h2>Objectifs</h2>
        <ol><xsl:for-each select="$plan/objectives/objective"><li><span><xsl:value-of select="."/></span><xsl:text> </xsl:text><span class="muted">(<xsl:value-of select="@id"/>)</span></li></xsl:for-each></ol>

        <h2>Actions</h2>
        <table class="actions">
          <thead><tr><th>Action</th><th>Objectif</th><th>Partenaire responsable</th><th>Du</th><th>Au</th></tr></thead>
          <tbody>
            <xsl:for-each select="$plan/actions/action">
              <xsl:variable name="responsible" select="@responsible"/>
              <tr>
                <td><span><xsl:value-of select="."/></span><xsl:text> </xsl:text><span class="muted">(<xsl:value-of select="@id"/>)</span></td>
                <xsl:call-template name="cell"><xsl:with-param name="value" select="@objective"/></xsl:call-template>
                <td><span><xsl:value-of select="$s/partners/partner[@id = $responsible]/organisation"/></span></td>
                <xsl:call-template name="cell"><xsl:with-param name="value"><xsl:call-template name="numeric-date"><xsl:with-param name="d" select="@start"/></xsl:call-template></xsl:with-param></xsl:call-template>
                <xsl:choose>
                  <xsl:when test="@end"><xsl:call-template name="cell"><xsl:with-param name="value"><xsl:call-template name="numeric-date"><xsl:with-param name="d" select="@end"/></xsl:call-template></xsl:with-param></xsl:call-template></xsl:when>
                  <xsl:otherwise><td>en cours</td></xsl:otherwise>
                </xsl:choose>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
        <xsl:variable name="actions" select="count($plan/actions/action)"/>
        <p class="muted"><xsl:value-of select="$actions"/><xsl:choose><xsl:when test="$actions &lt;= 1"> action</xsl:when><xsl:otherwise> actions</xsl:otherwise></xsl:choose> dans le plan.</p>

        <h2>Réunions de suivi</h2>
        <xsl:choose>
          <xsl:when test="$plan/followUp/meeting">
            <ul><xsl:for-each select="$plan/followUp/meeting"><li><xsl:call-template name="full-date"><xsl:with-param name="d" select="@date"/></xsl:call-template></li></xsl:for-each></ul>
          </xsl:when>
          <xsl:otherwise><p class="not-provided">Aucune réunion de suivi n'a été fixée.</p></xsl:otherwise>
        </xsl:choose>

        <h2>Adhésion au plan</h2>
        <xsl:variable name="adhesions" select="$s/consents/consent[@type = 'plan-adhesion']"/>
        <xsl:for-each select="$adhesions">
            <table class="facts"><tbody>
              <tr><th>Adhésion donnée par</th><td><strong><xsl:choose><xsl:when test="@by = 'youth'">le jeune</xsl:when><xsl:when test="@by = 'parent'">un parent</xsl:when><xsl:otherwise>le tuteur</xsl:otherwise></xsl:choose></strong></td></tr>
              <tr><th>Adhésion donnée</th><td><xsl:choose><xsl:when test="@given = 'true' or @given = '1'">oui</xsl:when><xsl:otherwise>non</xsl:otherwise></xsl:choose></td></tr>
              <tr><th>Date</th><xsl:call-template name="cell"><xsl:with-param name="value"><xsl:call-template name="long-date"><xsl:with-param name="d" select="@date"/></xsl:call-template></xsl:with-param></xsl:call-template></tr>
              <tr><th>Enregistré par</th><xsl:call-template name="cell"><xsl:with-param name="value" select="@recordedBy"/></xsl:call-template></tr>
              <tr><th>Dans leurs mots</th><xsl:call-template name="cell"><xsl:with-param name="value" select="."/></xsl:call-template></tr>
            </tbody></table>
        </xsl:for-each>
        <xsl:if test="not($adhesions[@by = 'youth'])"><p class="not-provided">L'adhésion du jeune lui-même n'a pas encore été enregistrée.</p></xsl:if>

        <section class="keep-together">
        <h2>Validation clinique</h2>
        <p>Cette signature confirme l'éligibilité clinique de la situation et l'adhésion du ou de la pédopsychiatre au plan de soins.</p>
        <div class="signatures">
          <xsl:variable name="doctor" select="$plan/pedopsychiatrist"/>
          <xsl:call-template name="signature">
            <xsl:with-param name="role">pédopsychiatre</xsl:with-param>
            <xsl:with-param name="name" select="($plan/validation/@by | $s/partners/partner[@id = $doctor/@partner]/contact | $network/pedopsychiatrists/pedopsychiatrist[@id = $doctor/@networkPedopsychiatrist]/name)[1]"/>
            <xsl:with-param name="signedAt" select="$plan[ds:Signature]/@signedAt"/>
          </xsl:call-template>
          <xsl:call-template name="signature">
            <xsl:with-param name="role">gestionnaire de cas</xsl:with-param>
            <xsl:with-param name="name" select="$s/partners/partner[@id = $s/concertations/concertation[last()]/caseManager/@partner]/contact"/>
            <xsl:with-param name="signedAt" select="''"/>
          </xsl:call-template>
        </div>
        </section>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
