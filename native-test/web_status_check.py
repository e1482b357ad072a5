#!/usr/bin/python3
"""Drives the TorFS status page in Debian's headless chromium through chromedriver (Selenium).

usage: web_status_check.py URL TORRENT MOUNTED_FILE EXPECTED_FILE SCREENSHOT
Opens the page, adds TORRENT through its upload field, reads MOUNTED_FILE (through the FUSE
mount) while watching the torrent's piece map fill, checks the bytes against EXPECTED_FILE,
saves SCREENSHOT (and SCREENSHOT-reading.png while it read), pauses and resumes the torrent with
its Pause/Resume button, then removes it with its Remove button. Prints what it saw.
"""
import filecmp
import sys
import threading
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

url, torrent, mounted, expected, shot = sys.argv[1:6]
opts = webdriver.ChromeOptions()
opts.binary_location = "/usr/bin/chromium"
for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--window-size=1280,900", "--no-first-run", "--disable-background-networking",
          "--disable-component-update", "--disable-sync", "--metrics-recording-only"):
    opts.add_argument(a)
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


def fresh(read):
    """read(driver), again while the page re-renders the element under it (a stale reference)."""
    for _ in range(100):
        try:
            return read(driver)
        except StaleElementReferenceException:
            time.sleep(0.05)
    return read(driver)


try:
    driver.get(url)
    # the page re-renders a torrent's row on every update: an element found a moment ago can be
    # gone when its text is read; the wait then looks again instead of failing
    wait = WebDriverWait(driver, 20, poll_frequency=0.1,
                         ignored_exceptions=[NoSuchElementException, StaleElementReferenceException])
    wait.until(lambda d: d.find_element(By.ID, "conn").text == "live")
    driver.find_element(By.ID, "file").send_keys(torrent)
    wait.until(lambda d: d.find_element(By.ID, "message").text.startswith("added "))
    print("page:", driver.find_element(By.ID, "message").text)
    card = wait.until(lambda d: d.find_element(By.CSS_SELECTOR, ".torrent canvas.piecemap"))
    wait.until(lambda d: card.get_attribute("data-pieces") not in (None, "", "0"))
    pieces = int(card.get_attribute("data-pieces"))
    start = int(card.get_attribute("data-complete"))
    wait.until(lambda d: __import__("os").path.exists(mounted))
    # read the file through the mount while the page shows the map filling
    result = {}
    reader = threading.Thread(target=lambda: result.update(same=filecmp.cmp(mounted, expected, shallow=False)))
    reader.start()
    seen = [start]
    peers_seen = []
    wanted_seen = 0
    deadline = time.time() + 60
    while time.time() < deadline:
        c = int(card.get_attribute("data-complete"))
        wanted = int(card.get_attribute("data-reading") or 0) + int(card.get_attribute("data-readahead") or 0)
        wanted_seen = max(wanted_seen, wanted)
        if c != seen[-1]:
            seen.append(c)
            if 0 < c < pieces and len(seen) == 2:  # a picture of the map half filled, too
                driver.save_screenshot(shot.replace(".png", "-reading.png"))
            if 0 < c < pieces and not peers_seen:
                peers_seen = fresh(lambda d: [r.text for r in d.find_elements(By.CSS_SELECTOR, ".torrent table.peers tr")])
        if c == pieces and not reader.is_alive():
            break
        time.sleep(0.1)
    reader.join(5)
    driver.save_screenshot(shot)
    print("piece map (verified pieces as the page showed them):", seen, "of", pieces)
    assert result.get("same"), "the file read through the mount differs"
    assert seen[-1] == pieces, "the map never showed every piece"
    assert seen == sorted(seen), "the map went backwards"
    assert len([c for c in seen if 0 < c < pieces]) >= 2, "the map did not fill while the file was read"
    print("peers while reading:", peers_seen)
    print("most pieces a read waited for or read ahead, as the page showed them:", wanted_seen)
    assert wanted_seen > 0, "the map never showed what the reader wants"
    assert any(r.startswith("127.0.0.2:16881 libtorrent") for r in peers_seen), peers_seen
    files = fresh(lambda d: [f.text for f in d.find_elements(By.CSS_SELECTOR, ".torrent table.files tr")])
    assert files and "100.0%" in files[0], files
    # its tracker's failed announce, and the process's DHT (off here)
    failed = ".torrent table.trackers tr.failed"
    wait.until(lambda d: d.find_element(By.CSS_SELECTOR, failed))
    row, result_text = fresh(lambda d: (d.find_element(By.CSS_SELECTOR, failed).text,
                                        d.find_element(By.CSS_SELECTOR, failed + " td.result").text))
    print("tracker:", row)
    assert "http://127.0.0.1:1/announce" in row and "tier 0" in row, row
    assert result_text.strip(), "no failure text"
    assert driver.find_element(By.ID, "dht").text == "DHT off", driver.find_element(By.ID, "dht").text
    # its Pause button stops it (the state reads "stopped", the button offers Resume) and back
    state = lambda d: d.find_element(By.CSS_SELECTOR, ".torrent .facts .state").text
    fresh(lambda d: d.find_element(By.CSS_SELECTOR, ".torrent button.pause").click())
    wait.until(lambda d: state(d) == "stopped" and d.find_element(By.CSS_SELECTOR, ".torrent button.pause").text == "Resume")
    print("page:", driver.find_element(By.ID, "message").text, "->", fresh(state))
    fresh(lambda d: d.find_element(By.CSS_SELECTOR, ".torrent button.pause").click())
    wait.until(lambda d: state(d) == "seeding" and d.find_element(By.CSS_SELECTOR, ".torrent button.pause").text == "Pause")
    print("page:", driver.find_element(By.ID, "message").text, "->", fresh(state))
    fresh(lambda d: d.find_element(By.CSS_SELECTOR, ".torrent button.remove").click())
    wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".torrent"))
    print("page:", driver.find_element(By.ID, "message").text)
finally:
    driver.quit()
