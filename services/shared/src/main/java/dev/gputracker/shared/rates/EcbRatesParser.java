package dev.gputracker.shared.rates;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads the ECB's euro foreign exchange reference rates XML (the daily file and the 90-day history
 * have the same shape: {@code gesmes:Envelope / Cube / Cube time="YYYY-MM-DD" / Cube currency="USD"
 * rate="1.0823"}). External entities and DTDs are refused, so a hostile document cannot read files
 * or reach the network.
 */
public final class EcbRatesParser {
  private EcbRatesParser() {}

  /** Every day in the document, newest first as published. */
  public static List<ExchangeRates> parse(byte[] xml) throws RatesException {
    Document doc;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      doc = builder.parse(new ByteArrayInputStream(xml));
    } catch (Exception e) {
      throw new RatesException("not an ECB rates document: " + e.getMessage(), e);
    }
    List<ExchangeRates> days = new ArrayList<>();
    NodeList cubes = doc.getElementsByTagNameNS("*", "Cube");
    for (int i = 0; i < cubes.getLength(); i++) {
      Element day = (Element) cubes.item(i);
      if (!day.hasAttribute("time")) {
        continue;
      }
      LocalDate date;
      try {
        date = LocalDate.parse(day.getAttribute("time"));
      } catch (DateTimeParseException e) {
        throw new RatesException("bad date '" + day.getAttribute("time") + "' in ECB rates", e);
      }
      Map<String, BigDecimal> rates = new HashMap<>();
      NodeList children = day.getElementsByTagNameNS("*", "Cube");
      for (int j = 0; j < children.getLength(); j++) {
        Element rate = (Element) children.item(j);
        String currency = rate.getAttribute("currency");
        String value = rate.getAttribute("rate");
        if (!currency.matches("[A-Z]{3}")) {
          continue;
        }
        try {
          BigDecimal perEur = new BigDecimal(value);
          if (perEur.signum() > 0) {
            rates.put(currency, perEur);
          }
        } catch (NumberFormatException e) {
          throw new RatesException("bad rate '" + value + "' for " + currency + " on " + date, e);
        }
      }
      days.add(new ExchangeRates(date, rates));
    }
    if (days.isEmpty()) {
      throw new RatesException("no dated rates in the ECB document");
    }
    return days;
  }

  /** A rates document that cannot be read. */
  public static final class RatesException extends Exception {
    private static final long serialVersionUID = 1L;

    RatesException(String message) {
      super(message);
    }

    RatesException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
