/**
 * containers.sh's HTTP client inside the compose network (the JRE images carry no curl): prints the status of a GET,
 * then the body. Run as a source file: java HttpGet.java http://api:8080/ready
 */
public class HttpGet {
  public static void main(String[] args) throws Exception {
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> response = client.send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(args[0])).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    System.out.println(response.statusCode());
    System.out.println(response.body());
  }
}
